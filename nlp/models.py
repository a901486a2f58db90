"""Training, saving, loading and applying one task's model (sentiment, kind or topic).

A model directory holds features.pkl.gz (the shared vectorisers: one for normal text, one
for text typed without diacritics) and one file per task. Each task artifact has two
heads, "full" for normal text and "plain" for text without diacritics (trained on the same
rows with diacritics removed), and for each head the abstention threshold chosen on held-out
training rows, with the figures behind it. The tagger vectorises an answer once and runs
every head on the same matrix. Files are gzip-compressed pickles: the C unpickler loads
the vocabularies several times faster than joblib's (load time is a goal); like any pickle,
load only model directories you trust.
"""

import gzip
import pickle
from datetime import date
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from .evaluation import abstention_threshold, figures
from .features import (
    Canonicalize,
    CharTfidfVectorizer,
    CharWBNgrams,
    EmphasizeContrast,
    JoinTokens,
    MarkNegation,
    SplitCompounds,
)
from .heads import LinearHead

TASKS = ("sentiment", "kind", "topic")
SENTIMENTS = ("negative", "neutral", "positive")
KINDS = ("request", "problem", "praise", "question", "other")
SEED = 13
FEATURES_FILE = "features.pkl.gz"
MODEL_SUFFIX = ".pkl.gz"
TOPIC_EXTRA_THRESHOLD = 0.2  # secondary topics need at least this probability
MAX_TOPICS = 3
# SVM regularisation per task, chosen on the hold-outs (nlp/README.md, "How it was chosen").
HEAD_C = {"sentiment": 0.15, "kind": 0.3, "topic": 0.5}
# The accuracy an answered tag must reach on held-out staff/citizen rows; below the
# confidence that gives it, the tag is "unsure" and never used as evidence.
TARGET_ACCURACY = {"sentiment": 0.95, "kind": 0.92, "topic": 0.92}
# Neutral-score shifts tried per domain; the one with the best macro-F1 on that domain's
# hold-out is kept (neutral is the rare class everywhere, and the one most often missed).
NEUTRAL_SHIFTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)


def build_features(plain: bool = False) -> Pipeline:
    """Tokens → canonical → negation marks → contrast emphasis → syllable 1–3-gram and
    char_wb 2–4-gram TF-IDF (char n-grams of the segmented words)."""
    return Pipeline(
        [
            ("canonical", Canonicalize(plain=plain)),
            ("negation", MarkNegation()),
            ("contrast", EmphasizeContrast()),
            ("join", JoinTokens()),
            (
                "tfidf",
                FeatureUnion(
                    [
                        (
                            "word",
                            Pipeline(
                                [
                                    ("syllables", SplitCompounds()),
                                    (
                                        "tfidf",
                                        TfidfVectorizer(
                                            token_pattern=r"\S+",
                                            ngram_range=(1, 3),
                                            sublinear_tf=True,
                                            min_df=2,
                                            lowercase=False,
                                            dtype=np.float32,
                                        ),
                                    ),
                                ]
                            ),
                        ),
                        (
                            "char",
                            CharTfidfVectorizer(
                                analyzer=CharWBNgrams((2, 4)),
                                sublinear_tf=True,
                                min_df=2,
                                lowercase=False,
                                dtype=np.float32,
                            ),
                        ),
                    ]
                ),
            ),
        ]
    )


def fit_features(full_tokens, plain_tokens) -> dict:
    features = {"full": build_features(), "plain": build_features(plain=True)}
    features["full"].fit(full_tokens)
    features["plain"].fit(plain_tokens)
    return features


def _macro_f1_shifted(logits, gold, classes, j: int, shift: float) -> float:
    z = logits.copy()
    z[:, j] += shift
    return figures(gold, np.asarray(classes)[z.argmax(1)], classes)["macro_f1"]


def _shift_neutral(head: LinearHead, X, y, domains) -> list:
    """Per-domain neutral shift with the best macro-F1 on that domain's held-out rows."""
    if "neutral" not in head.classes_:
        return []
    j = head.classes_.index("neutral")
    S, P = head.scores(X)
    chosen = []
    for k, domain in enumerate(head.domains_ or [None]):
        rows = np.ones(len(y), bool) if domain is None else np.asarray(domains) == domain
        if not rows.any():
            chosen.append(0.0)
            continue
        logits, gold = head.scale_ * S[rows] + P[rows] @ head.bias_, np.asarray(y)[rows]
        best = max(NEUTRAL_SHIFTS, key=lambda s: (round(_macro_f1_shifted(logits, gold, head.classes_, j, s), 4), -s))
        head.bias_[k, j] += best
        chosen.append(best)
    return chosen


def holdout_report(task, proba, yh, dh, classes, eval_domain=None) -> dict:
    """Figures per domain of the held-out rows and the abstention threshold, chosen on the
    domain the app tags (staff/citizen answers)."""
    predicted = np.asarray(classes)[proba.argmax(1)]
    report = {"holdout": {}}
    groups = sorted(set(dh.tolist())) if dh is not None else ["all"]
    for group in groups:
        rows = np.ones(len(yh), bool) if dh is None else dh == group
        report["holdout"][group] = figures(yh[rows], predicted[rows], classes)
    rows = np.ones(len(yh), bool) if dh is None or eval_domain not in groups else dh == eval_domain
    report["abstention"] = abstention_threshold(proba[rows].max(1), predicted[rows] == yh[rows], TARGET_ACCURACY[task])
    return report


def fit_head(task, X, y, weights, domains, holdout, eval_domain=None) -> tuple[LinearHead, dict, dict]:
    """Train on the rows outside `holdout`, calibrate and choose the abstention threshold
    on the held-out rows, then retrain on every row with the same calibration. Also returns
    the held-out rows and the head trained without them (for joint decoding, nlp/joint.py)."""
    y, weights = np.asarray(y), np.asarray(weights, dtype=float)
    domains = np.asarray(domains) if domains is not None else None
    if not holdout.any():  # too few rows to hold any out: calibrate on the training rows
        holdout = np.ones(len(y), dtype=bool)
    train = ~holdout if (~holdout).any() else holdout
    head = LinearHead(C=HEAD_C[task]).fit(
        X[train], y[train], weights[train], None if domains is None else domains[train]
    )
    Xh, yh = X[holdout], y[holdout]
    dh = None if domains is None else domains[holdout]
    head.calibrate(Xh, yh)
    shifts = _shift_neutral(head, Xh, yh, dh) if task == "sentiment" else []
    report = holdout_report(task, head.predict_proba(Xh), yh, dh, head.classes_, eval_domain)
    report["neutral_shift"] = dict(zip(head.domains_ or ["all"], shifts)) if shifts else {}
    final = LinearHead(C=HEAD_C[task]).fit(X, y, weights, domains)
    final.scale_, final.bias_ = head.scale_, head.bias_
    return final, report, {"head": head, "X": Xh, "y": yh, "domains": dh}


def train_task(task, features, tokens, y, weights, domains, holdout, eval_domain=None) -> dict:
    """One task's artifact: a full and a plain head over the shared features."""
    if len(set(y)) < 2:
        raise ValueError("training needs at least two distinct labels")
    art = {
        "task": task,
        "labels": sorted(set(y)),
        "rows": len(y),
        "sklearn": sklearn.__version__,
        "trained": date.today().isoformat(),
    }
    art["_holdout"] = {}  # not saved: what joint decoding needs to re-measure the hold-outs
    for variant in ("full", "plain"):
        X = features[variant].transform(tokens[variant])
        head, report, art["_holdout"][variant] = fit_head(task, X, y, weights, domains, holdout, eval_domain)
        art[variant] = head
        art[f"{variant}_report"] = report
    return art


def model_file(directory, task: str) -> Path:
    return Path(directory) / f"{task}{MODEL_SUFFIX}"


def _dump(obj, path: Path) -> None:
    with gzip.open(path, "wb", compresslevel=6) as handle:
        pickle.dump(obj, handle, protocol=5)


def _load(path: Path):
    return pickle.loads(gzip.decompress(Path(path).read_bytes()))  # one C call, no stream overhead


def save_model(directory, features: dict | None, artifacts: dict) -> list[Path]:
    """Write the artifacts, and the shared features when given (an artifact trained on its
    own carries its features inside, so it can join a directory of other tasks)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    if features is not None:
        written.append(directory / FEATURES_FILE)
        _dump(features, written[0])
    for task, art in artifacts.items():
        written.append(model_file(directory, task))
        _dump({k: v for k, v in art.items() if not k.startswith("_")}, written[-1])
    return written


_FEATURES_CACHE: dict = {}


def load_features(directory) -> dict:
    path = Path(directory) / FEATURES_FILE
    key = (path.resolve(), path.stat().st_mtime_ns)
    if key not in _FEATURES_CACHE:
        _FEATURES_CACHE[key] = _load(path)
    return _FEATURES_CACHE[key]


def load_artifact(directory, task: str) -> dict | None:
    """A task's artifact with its features under "features" (its own, or its directory's
    shared ones), or None."""
    path = model_file(directory, task)
    if not path.exists():
        return None
    art = _load(path)
    if "features" not in art:
        art["features"] = load_features(directory)
    return art


def predict_proba(art: dict, full_tokens, plain_tokens, no_diacritics, cache=None, share_of=None):
    """Class probabilities (rows = texts, columns = art["labels"]). `cache` maps feature
    extractors to matrices so shared vectorisers run once per batch. With `share_of` (a
    source domain), also each text's posterior of belonging to it."""
    n = len(full_tokens)
    proba, share = np.zeros((n, len(art["labels"]))), np.ones(n)
    for variant, tokens in (("full", full_tokens), ("plain", plain_tokens)):
        idx = [i for i in range(n) if no_diacritics[i] == (variant == "plain")]
        if not idx:
            continue
        features = art["features"][variant]
        key = (id(features), variant)
        if cache is not None and key in cache:
            X = cache[key]
        else:
            X = features.transform([tokens[i] for i in idx])
            if cache is not None:
                cache[key] = X
        head = art[variant]
        order = [art["labels"].index(c) for c in head.classes_]
        proba[np.ix_(idx, order)] = head.predict_proba(X)
        if share_of is not None:
            share[idx] = head.domain_share(X, share_of)
    return proba if share_of is None else (proba, share)


def thresholds(art: dict) -> tuple[float, float]:
    """Abstention thresholds of the full and plain heads."""
    return (art["full_report"]["abstention"]["threshold"], art["plain_report"]["abstention"]["threshold"])


def topics_from_proba(labels, row, threshold=TOPIC_EXTRA_THRESHOLD, ranked=None) -> list[dict]:
    """Main topic plus up to two more ≥ threshold; `ranked` = precomputed argsort(-row)."""
    if ranked is None:
        ranked = np.argsort(-row)
    row = row.tolist()
    topics = [{"key": labels[ranked[0]], "confidence": round(float(row[ranked[0]]), 4)}]
    for j in ranked[1:MAX_TOPICS]:
        if row[j] >= threshold:
            topics.append({"key": labels[j], "confidence": round(float(row[j]), 4)})
    return topics
