"""Small composable transformers turning segmented answers into model features.

Every model input is a list of token lists (the output of underthesea.word_tokenize on
normalised text), so a text is segmented once and the tokens are reused by all models.
"""
from sklearn.base import BaseEstimator, TransformerMixin

from .normalize import strip_diacritics

NEGATORS = {"không", "chưa", "chẳng", "chả", "đừng", "không_hề", "chưa_hề", "chẳng_hề",
            "không_được", "chưa_được", "khong", "chua", "chang", "cha", "khong_he"}
CONTRAST = {"nhưng", "tuy_nhiên", "song", "nhưng_mà", "mặc_dù_vậy", "nhung", "tuy_nhien"}
CLAUSE_BREAKS = {",", ".", ";", "!", "?", ":", "…", "và", "nhưng", "mà", "tuy_nhiên", "song"}
# UIT-VSFC replaced emoticons by words; map the raw forms to the same words.
EMOTICONS = {":)": "colonsmile", ":-)": "colonsmile", ":d": "colonsmile", "=)": "colonsmile",
             ":(": "colonsad", ":-(": "colonsad", "<3": "colonlove", "...": "dotdotdot",
             "…": "dotdotdot"}
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
            out.append(doc + doc[cut + 1:] if cut >= 0 else doc)
        return out


class JoinTokens(BaseEstimator, TransformerMixin):
    """Token lists → space-joined strings for the TF-IDF vectorisers."""

    def fit(self, docs, y=None):
        return self

    def transform(self, docs):
        return [" ".join(d) for d in docs]
