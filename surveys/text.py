import json
import re
import unicodedata
from typing import Any

from .errors import N_, Malformed

_SPACES = re.compile(r"\s+")


def nfc(value: str | None) -> str:
    """Unicode NFC with collapsed white space: the one form text is stored in."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def nfc_multiline(value: str | None) -> str:
    """NFC for long text: keeps line breaks, trims each line."""
    if value is None:
        return ""
    lines = unicodedata.normalize("NFC", value).replace("\r\n", "\n").split("\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in lines).strip()


# ---- what the database and the reader can take ----------------------------------------------------

# NUL cannot be stored by PostgreSQL; U+FFFD is what bytes that are not UTF-8 become once decoded.
UNREADABLE_CHARACTERS = ("\x00", "\ufffd")
UNREADABLE = N_(
    "Nội dung có ký tự không hợp lệ (ký tự NUL hoặc chữ không mã hóa UTF-8). Vui lòng xóa ký tự đó rồi gửi lại."
)
TOO_DEEP = N_("Dữ liệu JSON lồng nhau quá sâu (tối đa %(depth)s cấp).")
MAX_JSON_DEPTH = 32
# The largest id an INTEGER column holds (PostgreSQL's int4): anything above names nothing.
MAX_ID = 2**31 - 1


def is_readable(value: str) -> bool:
    return not any(character in value for character in UNREADABLE_CHARACTERS)


def check_readable(value: str) -> str:
    if not is_readable(value):
        raise Malformed(UNREADABLE)
    return value


def parse_id(value: str | None) -> int | None:
    """An id from a query string, or None when it cannot name a row (not digits, 0, too large)."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def load_json(content: str | bytes, *, invalid: str = N_("Dữ liệu không phải JSON hợp lệ.")) -> Any:
    """JSON from an untrusted body: at most ``MAX_JSON_DEPTH`` levels deep, no unreadable characters."""
    try:
        data = json.loads(content)
    except RecursionError:
        raise Malformed(TOO_DEEP, depth=MAX_JSON_DEPTH) from None
    except (ValueError, UnicodeDecodeError):
        raise Malformed(invalid) from None
    _check_json(data)
    return data


def _check_json(data: Any) -> None:
    pending = [(data, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list) and depth > MAX_JSON_DEPTH:
            raise Malformed(TOO_DEEP, depth=MAX_JSON_DEPTH)
        if isinstance(item, dict):
            for key, value in item.items():
                check_readable(key)
                pending.append((value, depth + 1))
        elif isinstance(item, list):
            pending.extend((value, depth + 1) for value in item)
        elif isinstance(item, str):
            check_readable(item)
