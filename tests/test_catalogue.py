"""The English catalogue is complete: every message marked in the code and templates (``_``,
``_l``, ``N_``, as babel.cfg extracts them) has an English translation, with the same placeholders."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "webapp" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}


def marked_messages() -> set[str]:
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_message_has_an_english_translation():
    with open(CATALOGUE, "rb") as source:
        catalogue = read_po(source)
    missing = sorted(m for m in marked_messages() if m and not (catalogue.get(m) and catalogue.get(m).string))
    assert missing == []
    placeholders = re.compile(r"%\(\w+\)[sd]")
    mismatched = [
        m.id
        for m in catalogue
        if m.id
        and m.string
        and isinstance(m.id, str)
        and sorted(placeholders.findall(m.id)) != sorted(placeholders.findall(m.string))
    ]
    assert mismatched == []
