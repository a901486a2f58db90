"""Emerging themes: cluster answers the taxonomy covers poorly (main topic "other" or a
low-confidence main topic) with NMF on TF-IDF of the segmented text."""

from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from .keyphrases import stopwords
from .taxonomy import FALLBACK_TOPIC

LOW_CONFIDENCE = 0.4
SEED = 13


def find_emerging_themes(texts: list[str], *, tagger=None, n_themes: int = 5, min_answers: int = 5) -> list[dict]:
    if tagger is None:
        from .tagger import load_tagger

        tagger = load_tagger()
    tagged = tagger.tag_many(texts)
    poorly = [
        i
        for i, t in enumerate(tagged)
        if t["topics"][0]["key"] == FALLBACK_TOPIC or t["topics"][0]["confidence"] < LOW_CONFIDENCE
    ]
    if len(poorly) < min_answers:
        return []
    stop = stopwords()
    docs = [
        " ".join(
            tok.lower().replace(" ", "_")
            for tok in tagged[i]["tokens"]
            if tok.lower() not in stop and any(c.isalpha() for c in tok)
        )
        for i in poorly
    ]
    vectorizer = TfidfVectorizer(
        token_pattern=r"[^\s\[\]]+", ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False
    )
    try:
        X = vectorizer.fit_transform(docs)
    except ValueError:  # nothing occurs twice
        return []
    k = max(1, min(n_themes, len(poorly) // min_answers, X.shape[1]))
    nmf = NMF(n_components=k, init="nndsvda", random_state=SEED, max_iter=500)
    weights = nmf.fit_transform(X)
    vocab = vectorizer.get_feature_names_out()
    themes = []
    for c in range(k):
        members = [j for j in range(len(poorly)) if weights[j].argmax() == c and weights[j, c] > 0]
        if not members:
            continue
        members.sort(key=lambda j: -weights[j, c])
        top = nmf.components_[c].argsort()[::-1][:5]
        themes.append(
            {
                "phrases": [vocab[t].replace("_", " ") for t in top if nmf.components_[c, t] > 0],
                "examples": [poorly[j] for j in members[:5]],
                "size": len(members),
            }
        )
    return sorted(themes, key=lambda t: -t["size"])
