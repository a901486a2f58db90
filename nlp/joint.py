"""Joint decoding of sentiment and kind.

The two heads are trained apart, but their labels are not independent: praise is positive,
a question or `other` is rarely negative, a problem is never positive. The tagger multiplies
the two heads' probabilities by a compatibility table learned from the staff/citizen rows,
log C(s, k) = log(observed / expected co-occurrence), add-one smoothed, raised to a weight
α times the answer's posterior of being a staff/citizen answer (the sentiment head's domain
classifier): student feedback or product reviews, which have no kind, are left almost as
they were. Each task's probabilities are the marginals of that joint distribution. α was
chosen on the hold-outs (nlp/README.md); the hold-out figures and abstention thresholds of
both tasks are measured after joint decoding.
"""

import secrets

import numpy as np

from .corpus import ANSWERS
from .models import holdout_report

JOINT_ALPHA = 0.5


def compatibility(sentiments, kinds, pairs) -> np.ndarray:
    """log(observed / expected) co-occurrence of (sentiment, kind) over labelled pairs."""
    counts = np.ones((len(sentiments), len(kinds)))
    for sentiment, kind in pairs:
        if sentiment in sentiments and kind in kinds:
            counts[sentiments.index(sentiment), kinds.index(kind)] += 1
    expected = counts.sum(1, keepdims=True) * counts.sum(0, keepdims=True) / counts.sum()
    return np.log(counts / expected)


def decode(p_sentiment, p_kind, log_compat, weight) -> tuple[np.ndarray, np.ndarray]:
    """Marginals of P(s) · P(k) · C(s, k)^weight, normalised per row (`weight`: one per row)."""
    joint = p_sentiment[:, :, None] * p_kind[:, None, :] * np.exp(np.asarray(weight)[:, None, None] * log_compat)
    joint /= joint.sum(axis=(1, 2), keepdims=True)
    return joint.sum(axis=2), joint.sum(axis=1)


def applies(sentiment_art: dict, kind_art: dict) -> bool:
    """Only a sentiment and a kind model trained together are decoded jointly."""
    joint = sentiment_art.get("joint")
    return bool(joint) and joint["pair"] == kind_art.get("joint_pair") and joint["kinds"] == kind_art["labels"]


def joint_proba(sentiment_art: dict, kind_art: dict, p_sentiment, p_kind, answers_share):
    if not applies(sentiment_art, kind_art):
        return p_sentiment, p_kind
    joint = sentiment_art["joint"]
    return decode(p_sentiment, p_kind, joint["log_compat"], joint["alpha"] * np.asarray(answers_share))


def attach(sentiment_art: dict, kind_art: dict, pairs, alpha: float = JOINT_ALPHA) -> None:
    """Learn the table from (sentiment, kind) pairs, store it in both artifacts, and measure
    both tasks' hold-outs and thresholds again with joint decoding."""
    table = compatibility(sentiment_art["labels"], kind_art["labels"], pairs)
    pair = secrets.token_hex(8)
    sentiment_art["joint"] = {
        "kinds": list(kind_art["labels"]),
        "log_compat": table,
        "alpha": alpha,
        "domain": ANSWERS,
        "pair": pair,
    }
    kind_art["joint_pair"] = pair
    for variant in ("full", "plain"):
        held = {"sentiment": sentiment_art["_holdout"][variant], "kind": kind_art["_holdout"][variant]}
        for task, art in (("sentiment", sentiment_art), ("kind", kind_art)):
            X = held[task]["X"]
            p_sentiment = held["sentiment"]["head"].predict_proba(X)
            share = held["sentiment"]["head"].domain_share(X, ANSWERS)
            p_kind = held["kind"]["head"].predict_proba(X)
            both = joint_proba(sentiment_art, kind_art, p_sentiment, p_kind, share)
            proba = both[0] if task == "sentiment" else both[1]
            report = holdout_report(task, proba, held[task]["y"], held[task]["domains"], art["labels"], ANSWERS)
            art[f"{variant}_report"].update(report)
