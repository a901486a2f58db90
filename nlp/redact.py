"""Replace personal data with Vietnamese placeholders before answers are shown or stored."""

import re

PHONE = "[số điện thoại]"
EMAIL = "[email]"
ID_NUMBER = "[số giấy tờ]"
ADDRESS = "[địa chỉ]"

_EMAIL_RE = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# CCCD (12 digits) / CMND (9 digits): contiguous or in groups of 3 or 4 separated by
# spaces. Dotted groups are money amounts ("500.000.000 đồng"), not IDs.
_ID12_RE = re.compile(r"(?<![\w.,+])(?:\d{12}|\d{3}(?: \d{3}){3}|\d{4}(?: \d{4}){2})(?![\w]|[ .\-]\d)")
_ID9_RE = re.compile(r"(?<![\w.,+])(?:\d{9}|\d{3} \d{3} \d{3})(?![\w]|[ .\-]\d)")
# Mobile (0 + 9 digits) and landline (0 + 10 digits), also +84 / 84; single dots,
# spaces or dashes between digits.
_PHONE_RE = re.compile(r"(?<![\w+.])(?:\+84|84|0)(?:[ .\-]?\(?\d\)?){9,10}(?![ .\-]?\d)")

_KEYWORD = (
    r"(?:số nhà|số|ngõ|ngách|hẻm|kiệt|tổ dân phố|tổ|khu phố|khu tập thể|đường|phố"
    r"|thôn|xóm|ấp|khóm|bản|phường|xã|quận|huyện)"
)
_NAME = r"(?:[A-ZĐÀ-Ỹ][\w]*(?:[ ](?:[A-ZĐÀ-Ỹ]\w*|\d+\w*))*)"
_NUMBER = r"\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*"
# A recognisable address: a numbered part (house number, lane, group) followed by at
# least one more part ("số 12 ngõ 34 phố Hàng Bạc", "số nhà 5, đường Lê Lợi", "tổ 3 thôn Đông").
_ADDRESS_RE = re.compile(
    rf"(?<!\w)(?i:{_KEYWORD})\s+{_NUMBER}"
    rf"(?:\s*,?\s*(?i:{_KEYWORD})\s+(?:{_NUMBER}|{_NAME}))+"
)


_DIGIT_RE = re.compile(r"\d")


def redact(text: str) -> str:
    if "@" in text:
        text = _EMAIL_RE.sub(EMAIL, text)
    if not _DIGIT_RE.search(text):  # addresses, ID and phone numbers all need a digit
        return text
    text = _ADDRESS_RE.sub(ADDRESS, text)
    text = _ID12_RE.sub(ID_NUMBER, text)
    text = _PHONE_RE.sub(PHONE, text)
    text = _ID9_RE.sub(ID_NUMBER, text)
    return text
