"""Cheap keyphrases from segmented tokens: runs of content words between stopwords and
punctuation (underthesea's POS tagger would re-tokenise and halve throughput)."""

from functools import lru_cache
from pathlib import Path

STOPWORDS_PATH = Path(__file__).parent / "data" / "stopwords.txt"
MAX_PHRASE_TOKENS = 3
MAX_KEYPHRASES = 5


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    lines = STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_content(token: str, stop: frozenset) -> bool:
    return len(token) > 1 and token not in stop and (token.isalpha() or any(c.isalpha() for c in token))


def keyphrases(tokens: list[str], limit: int = MAX_KEYPHRASES) -> list[str]:
    stop = stopwords()
    runs, current, in_placeholder = [], [], False
    for tok in tokens:
        low = tok.lower()
        if "[" in low:
            in_placeholder = True  # redaction placeholders are not keyphrases
        if in_placeholder or not _is_content(low, stop):
            if current:
                runs.append(current)
            current = []
        else:
            current.append(low)
        if "]" in low:
            in_placeholder = False
    if current:
        runs.append(current)
    phrases = []
    for run in runs:
        for start in range(0, len(run), MAX_PHRASE_TOKENS):
            chunk = run[start : start + MAX_PHRASE_TOKENS]
            # A lone one-syllable word ("xã", "tốt") says little on its own.
            if len(chunk) > 1 or " " in chunk[0]:
                phrases.append(" ".join(chunk))
    return list(dict.fromkeys(phrases))[:limit]
