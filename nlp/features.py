"""Small composable transformers turning segmented answers into model features.

Every model input is a list of token lists (the output of underthesea.word_tokenize on
normalised text), so a text is segmented once and the tokens are reused by all models.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from .normalize import strip_diacritics

NEGATORS = {
    "không",
    "chưa",
    "chẳng",
    "chả",
    "đừng",
    "không_hề",
    "chưa_hề",
    "chẳng_hề",
    "không_được",
    "chưa_được",
    "khong",
    "chua",
    "chang",
    "cha",
    "khong_he",
}
CONTRAST = {"nhưng", "tuy_nhiên", "song", "nhưng_mà", "mặc_dù_vậy", "nhung", "tuy_nhien"}
CLAUSE_BREAKS = {",", ".", ";", "!", "?", ":", "…", "và", "nhưng", "mà", "tuy_nhiên", "song"}
# UIT-VSFC replaced emoticons by words; map the raw forms to the same words.
EMOTICONS = {
    ":)": "colonsmile",
    ":-)": "colonsmile",
    ":d": "colonsmile",
    "=)": "colonsmile",
    ":(": "colonsad",
    ":-(": "colonsad",
    "<3": "colonlove",
    "...": "dotdotdot",
    "…": "dotdotdot",
}
NEGATION_SCOPE = 3


def canonical_tokens(tokens: list[str]) -> list[str]:
    """Lower-case, join compound words with '_', map emoticons."""
    out = []
    for tok in tokens:
        tok = tok.lower()
        out.append(EMOTICONS.get(tok, tok.replace(" ", "_")))
    return out


class Canonicalize(BaseEstimator, TransformerMixin):
    """Token lists → canonical token lists; optionally without diacritics."""

    def __init__(self, plain: bool = False):
        self.plain = plain

    def fit(self, docs, y=None):
        return self

    def transform(self, docs):
        out = [canonical_tokens(d) for d in docs]
        if self.plain:
            out = [[strip_diacritics(t) for t in d] for d in out]
        return out


class MarkNegation(BaseEstimator, TransformerMixin):
    """Prefix NOT_ to the few tokens after a negator ("không tốt" → "không NOT_tốt"),
    so negated words get their own weights."""

    def __init__(self, scope: int = NEGATION_SCOPE):
        self.scope = scope

    def fit(self, docs, y=None):
        return self

    def transform(self, docs):
        out = []
        for doc in docs:
            marked, left = [], 0
            for tok in doc:
                if tok in CLAUSE_BREAKS:
                    left = 0
                    marked.append(tok)
                elif tok in NEGATORS or strip_diacritics(tok) in NEGATORS:
                    left = self.scope
                    marked.append(tok)
                elif left:
                    marked.append("NOT_" + tok)
                    left -= 1
                else:
                    marked.append(tok)
            out.append(marked)
        return out


class EmphasizeContrast(BaseEstimator, TransformerMixin):
    """Repeat the clause after "nhưng" / "tuy nhiên": it usually carries the verdict."""

    def fit(self, docs, y=None):
        return self

    def transform(self, docs):
        out = []
        for doc in docs:
            cut = max((i for i, t in enumerate(doc) if t in CONTRAST), default=-1)
            out.append(doc + doc[cut + 1 :] if cut >= 0 else doc)
        return out


class JoinTokens(BaseEstimator, TransformerMixin):
    """Token lists → space-joined strings for the TF-IDF vectorisers."""

    def fit(self, docs, y=None):
        return self

    def transform(self, docs):
        return [" ".join(d) for d in docs]


class SplitCompounds(BaseEstimator, TransformerMixin):
    """Joined token strings → syllables ("khối_lượng" → "khối lượng"; a negation mark stays
    on every syllable: "NOT_khối_lượng" → "NOT_khối NOT_lượng"). Word n-grams over
    syllables do not depend on the segmenter, which often joins a capitalised first word to
    the next one ("Lương thấp" read as a name); chosen on the hold-outs over word n-grams."""

    def fit(self, docs, y=None):
        return self

    def transform(self, docs):
        return [" ".join(_syllables(tok) for tok in doc.split()) for doc in docs]


def _syllables(token: str) -> str:
    if "_" not in token:
        return token
    if token.startswith("NOT_"):
        return " ".join("NOT_" + part for part in token[4:].split("_") if part)
    return " ".join(part for part in token.split("_") if part) or token


class CharWBNgrams:
    """Picklable char_wb analyzer equivalent to TfidfVectorizer(analyzer="char_wb",
    lowercase=False), but with the n-grams of each word cached: answers reuse a small
    vocabulary, so most words are seen before and cost one dict lookup."""

    def __init__(self, ngram_range=(2, 5), cache_size: int = 200_000):
        self.ngram_range = tuple(ngram_range)
        self.cache_size = cache_size
        self._cache: dict = {}

    def __getstate__(self):
        return {"ngram_range": self.ngram_range, "cache_size": self.cache_size}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._cache = {}

    def _word(self, word: str) -> tuple:
        min_n, max_n = self.ngram_range
        w = " " + word + " "
        w_len = len(w)
        grams = []
        for n in range(min_n, max_n + 1):
            if n >= w_len:  # a short word is counted once, as a whole
                grams.append(w)
                break
            grams.extend(w[i : i + n] for i in range(w_len - n + 1))
        return tuple(grams)

    def __call__(self, doc: str) -> list[str]:
        cache = self._cache
        out: list[str] = []
        for word in doc.split():
            grams = cache.get(word)
            if grams is None:
                grams = self._word(word)
                if len(cache) >= self.cache_size:
                    cache.clear()
                cache[word] = grams
            out.extend(grams)
        return out


class CharTfidfVectorizer(TfidfVectorizer):
    """TfidfVectorizer for a CharWBNgrams analyzer. Once fitted, counting maps each word
    to the vocabulary indices of its n-grams through a cache, so a known word costs one
    lookup instead of a dozen; the resulting matrix is identical to TfidfVectorizer's."""

    _CACHE_SIZE = 200_000

    def _count_vocab(self, raw_documents, fixed_vocab):
        if not fixed_vocab or not isinstance(self.analyzer, CharWBNgrams):
            return super()._count_vocab(raw_documents, fixed_vocab)
        vocab = self.vocabulary_
        cache = self.__dict__.setdefault("_word_ids", {})
        word_grams = self.analyzer._word
        cols: list[int] = []
        indptr = [0]
        for doc in raw_documents:
            for word in doc.split():
                ids = cache.get(word)
                if ids is None:
                    ids = [vocab[g] for g in word_grams(word) if g in vocab]
                    if len(cache) >= self._CACHE_SIZE:
                        cache.clear()
                    cache[word] = ids
                cols.extend(ids)
            indptr.append(len(cols))
        X = sp.csr_matrix(
            (
                np.ones(len(cols), dtype=self.dtype),
                np.asarray(cols, dtype=np.int32),
                np.asarray(indptr, dtype=np.int32),
            ),
            shape=(len(indptr) - 1, len(vocab)),
            dtype=self.dtype,
        )
        X.sum_duplicates()
        return vocab, X

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_word_ids", None)
        return state
