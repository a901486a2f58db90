"""Alert lexicon: answers that need a human to look at them now (corruption, harassment,
violence, safety), matched on whole words on the normalised and on the diacritic-free text."""

import json
import re
from functools import lru_cache
from pathlib import Path

from .normalize import normalize_text, strip_diacritics

DEFAULT_PATH = Path(__file__).parent / "data" / "alerts.json"


def _pattern(phrases: list[str]) -> re.Pattern | None:
    if not phrases:
        return None
    alternatives = sorted({re.escape(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


class AlertLexicon:
    def __init__(self, path: str | Path | None = None):
        data = json.loads(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
        self.labels = {key: cat["label"] for key, cat in data["categories"].items()}
        self._rules = []
        for key, cat in data["categories"].items():
            terms = [t.lower() for t in cat["terms"]]
            friends = [f.lower() for f in cat.get("false_friends", [])]
            # Without diacritics a single syllable is too ambiguous ("danh" = đánh/danh),
            # so the plain pass only uses multi-syllable terms.
            plain_terms = [strip_diacritics(t) for t in terms if " " in t]
            self._rules.append(
                (
                    key,
                    _pattern(terms),
                    _pattern(friends),
                    _pattern(plain_terms),
                    _pattern([strip_diacritics(f) for f in friends]),
                )
            )

    def detect(self, text: str) -> list[str]:
        """Alert category keys found in text, in lexicon order."""
        lowered = text.lower()
        plain = strip_diacritics(lowered)
        found = []
        for key, terms, friends, plain_terms, plain_friends in self._rules:
            hit = _search(lowered, terms, friends) or _search(plain, plain_terms, plain_friends)
            if hit:
                found.append(key)
        return found


def _search(text: str, terms: re.Pattern | None, friends: re.Pattern | None) -> bool:
    if terms is None:
        return False
    if friends is not None:
        # Blank out false friends ("đánh giá") before looking for the alert term ("đánh").
        text = friends.sub(" ", text)
    return terms.search(text) is not None


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> AlertLexicon:
    return AlertLexicon(path)


def detect_alerts(text: str) -> list[str]:
    return load_lexicon().detect(normalize_text(text))
