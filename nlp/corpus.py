"""Labelled rows, their sources and fixed hold-outs, and a disk cache of segmentations.

A row is a dict with `text` and whichever labels its file has (`sentiment`, `kind`,
`topic`, `topics`), plus `domain`: the source family it comes from (vsfc, vlsp, vsmec,
answers). Files are TSV with a header; extra columns are ignored and a file may lack a
label column. Segmenting 25,000 rows takes minutes, so training can keep the tokens of each
normalised text on disk (`TokenCache`) and only segment what it has not seen.
"""

import csv
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np

from .normalize import has_no_diacritics, normalize_text, strip_diacritics
from .segment import tokenize

LABEL_COLUMNS = ("sentiment", "kind", "topic", "topics")
DOMAINS = ("vsfc", "vlsp", "vsmec", "answers")
ANSWERS = "answers"  # staff and citizen answers: the domain the app tags

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class Source:
    """One training file: where it is, which domain it belongs to, how much a row counts."""

    name: str
    path: Path
    domain: str
    weight: float = 1.0


def read_rows(path, domain: str = ANSWERS) -> list[dict]:
    """Rows of a TSV file with a header containing `text`; empty labels are left out."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for raw in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = (raw.get("text") or "").replace("\\", "").strip()
            if not text:
                continue
            row = {"text": text, "domain": domain}
            for column in LABEL_COLUMNS:
                value = (raw.get(column) or "").strip()
                if value:
                    row[column] = value
            rows.append(row)
    return rows


def sha256_file(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def holdout_mask(labels, fraction: float, seed: int, groups=None) -> np.ndarray:
    """Stratified random hold-out: True for the rows kept aside, the same for the same
    labels and seed (per class, round(fraction × count) groups). Rows sharing a group
    (copies of one answer) fall on the same side."""
    labels = list(labels)
    groups = list(range(len(labels))) if groups is None else list(groups)
    first: dict = {}
    for label, group in zip(labels, groups):
        first.setdefault(group, label)
    rng = np.random.RandomState(seed)
    chosen = set()
    for label in sorted(set(first.values())):
        members = sorted((g for g, lab in first.items() if lab == label), key=str)
        order = rng.permutation(len(members))
        chosen.update(members[j] for j in order[: round(fraction * len(members))])
    return np.array([g in chosen for g in groups], dtype=bool)


class TokenCache:
    """Tokens of normalised texts, full and without diacritics, optionally kept in a file."""

    def __init__(self, path=None):
        self.path = Path(path) if path else None
        self._data: dict = {}
        if self.path and self.path.exists():
            self._data = joblib.load(self.path)
        self._dirty = False

    def segment(self, texts: list[str]) -> tuple[list[list[str]], list[list[str]]]:
        """Tokens of each text's normalised form and of its diacritic-free form (for the
        models that read answers typed without accents)."""
        full, plain = [], []
        for text in texts:
            normalised = normalize_text(text)
            pair = self._data.get(normalised)
            if pair is None:
                tokens = tokenize(normalised)
                pair = (tokens, tokens if has_no_diacritics(normalised) else tokenize(strip_diacritics(normalised)))
                self._data[normalised] = pair
                self._dirty = True
            full.append(pair[0])
            plain.append(pair[1])
        return full, plain

    def save(self) -> None:
        if self.path and self._dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            joblib.dump(self._data, self.path)
            self._dirty = False


def _leak_key(text: str) -> str:
    """Lower-case, diacritic-free letters and digits of the normalised text (the text
    itself when it has none, e.g. emoji)."""
    plain = strip_diacritics(normalize_text(text)).lower()
    key = " ".join("".join(c if c.isalnum() else " " for c in plain).split())
    return key or "".join(text.split())


def near_duplicate_groups(texts: list[str]) -> list[str]:
    """A group key per text: copies of an answer (the same words with or without tone
    marks, in chat abbreviations, with other punctuation) share the key."""
    return [_leak_key(t) for t in texts]


def leaked(train_texts: list[str], eval_texts: list[str], jaccard: float = 0.6) -> list[int]:
    """Indices of training texts that equal an evaluation text once normalised (see
    _leak_key) or share at least `jaccard` of their character 3-grams with one."""
    from sklearn.feature_extraction.text import CountVectorizer

    train_keys, eval_keys = near_duplicate_groups(train_texts), near_duplicate_groups(eval_texts)
    exact = set(eval_keys)
    grams = CountVectorizer(analyzer="char", ngram_range=(3, 3), binary=True, dtype=np.float32)
    grams.fit(train_keys + eval_keys)
    A, B = grams.transform(train_keys), grams.transform(eval_keys)
    inter = (A @ B.T).tocsr()
    size_a, size_b = np.asarray(A.sum(1)).ravel(), np.asarray(B.sum(1)).ravel()
    found = []
    for i, key in enumerate(train_keys):
        row = inter.getrow(i)
        union = size_a[i] + size_b[row.indices] - row.data
        if key in exact or (len(row.data) and (row.data / np.maximum(union, 1)).max() >= jaccard):
            found.append(i)
    return found
