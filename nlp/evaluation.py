"""Figures for a model on labelled sets, the abstention threshold, and the gate that refuses
a retrained model that is worse than the one in use.

    figures = evaluate_model("nlp/models")                 # the fixed evaluation sets
    figures = evaluate_model(DIR, {"mine": "F.tsv"})       # {set: {task: figures}}
    is_not_worse(old_figures, new_figures)                 # True when no set got worse
"""

import math
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, recall_score

# Evaluation sets written apart from every training row; only ever used to report figures.
PACKAGE_DIR = Path(__file__).parent
EVAL_DIR = PACKAGE_DIR / "data" / "eval"
UIT_DEV = PACKAGE_DIR.parent.parent / "shared" / "data" / "uit-vsfc" / "dev.tsv"
NOISE_Z = 2.0
MIN_ANSWERED = 30  # a threshold is only trusted over at least this many held-out rows


def default_sets() -> dict[str, Path]:
    """The fixed evaluation sets present on this machine: the project's staff/citizen sets
    (nlp/data/eval/*.tsv) and UIT-VSFC dev when ../shared/data is there."""
    sets = {path.stem: path for path in sorted(EVAL_DIR.glob("*.tsv"))}
    if UIT_DEV.exists():
        sets["uit_vsfc_dev"] = UIT_DEV
    return sets


def figures(labels, predicted, classes=None) -> dict:
    """n, accuracy, macro-F1 and recall per class (classes present in `labels`)."""
    labels, predicted = list(labels), list(predicted)
    if not labels:
        return {"n": 0}
    present = sorted(set(labels))
    recall = recall_score(labels, predicted, labels=present, average=None, zero_division=0)
    return {
        "n": len(labels),
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
        "macro_f1": round(float(f1_score(labels, predicted, average="macro", zero_division=0)), 4),
        "recall": {c: round(float(r), 4) for c, r in zip(present, recall)},
    }


def abstention_threshold(confidence, correct, target: float) -> dict:
    """The lowest confidence above which held-out accuracy reaches `target` (over at least
    MIN_ANSWERED rows); 1.0 (always unsure) when no threshold reaches it."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, bool)
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(correct[order])
    counts = np.arange(1, len(order) + 1)
    ok = (hits / counts >= target) & (counts >= min(MIN_ANSWERED, len(order)))
    # A threshold must sit between distinct confidences: only the last row of a tie counts.
    sorted_conf = confidence[order]
    last_of_tie = np.append(sorted_conf[1:] < sorted_conf[:-1], True)
    candidates = np.flatnonzero(ok & last_of_tie)
    # Rounded down, so the rows that reached the target still reach the stored threshold.
    threshold = math.floor(float(sorted_conf[candidates[-1]]) * 1e4) / 1e4 if len(candidates) else 1.0
    return {"threshold": threshold, "target_accuracy": target, **answered(confidence, correct, threshold)}


def answered(confidence, correct, threshold: float) -> dict:
    """Coverage and accuracy of the tags at or above the threshold."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, bool)
    sure = confidence >= threshold
    return {
        "n": len(correct),
        "coverage": round(float(sure.mean()), 4) if len(correct) else 0.0,
        "accuracy_answered": round(float(correct[sure].mean()), 4) if sure.any() else None,
    }


def evaluate_rows(tagger, rows: list[dict], task: str) -> dict:
    """Figures of one task on labelled rows (rows without that label are skipped), with the
    abstention figures at the model's threshold, and hit_rate for topics."""
    rows = [r for r in rows if r.get(task)]
    if not rows:
        return {"n": 0}
    tags = tagger.tag_many([r["text"] for r in rows])
    gold = [r[task] for r in rows]
    if task == "topic":
        predicted = [t["topics"][0]["key"] for t in tags]
        confidence = [t["topics"][0]["confidence"] for t in tags]
        sure = [t["topic_sure"] for t in tags]
    else:
        predicted = [t[task] for t in tags]
        confidence = [t[f"{task}_confidence"] for t in tags]
        sure = [t[f"{task}_sure"] for t in tags]
    result = figures(gold, predicted)
    if task == "topic":
        hits = sum(g in {x["key"] for x in t["topics"]} for g, t in zip(gold, tags))
        result["hit_rate"] = round(hits / len(rows), 4)
    correct = np.asarray(gold) == np.asarray(predicted)
    sure = np.asarray(sure, bool)
    result["abstention"] = {
        "coverage": round(float(sure.mean()), 4),
        "accuracy_answered": round(float(correct[sure].mean()), 4) if sure.any() else None,
        "mean_confidence": round(float(np.mean(confidence)), 4),
    }
    return result


def evaluate_model(model_dir=None, sets: dict | None = None, tasks=None) -> dict:
    """{set name: {task: figures}} for a model directory over named TSV files (default: the
    fixed evaluation sets). Tasks a set does not label are left out."""
    from .corpus import read_rows
    from .models import TASKS
    from .tagger import load_tagger

    tagger = load_tagger(model_dir)
    out = {}
    for name, path in (default_sets() if sets is None else sets).items():
        rows = read_rows(path)
        # A task is measured where the set labels it with the model's labels (UIT-VSFC's
        # topics, for one, are another label set).
        out[name] = {
            task: evaluate_rows(tagger, rows, task)
            for task in (tasks or TASKS)
            if any(r.get(task) in tagger.artifacts[task]["labels"] for r in rows)
        }
    return out


def regressions(old: dict, new: dict, z: float = NOISE_Z) -> list[str]:
    """Where `new` is worse than `old` beyond noise: accuracy lower by more than z binomial
    standard errors of the old accuracy on that set (sqrt(p(1-p)/n)), or a set/task the old
    model was measured on and the new one is not."""
    found = []
    for name, tasks in old.items():
        for task, before in tasks.items():
            if not before.get("n"):
                continue
            after = new.get(name, {}).get(task)
            if not after or not after.get("n"):
                found.append(f"{name}/{task}: not measured")
                continue
            p, n = before["accuracy"], before["n"]
            noise = z * math.sqrt(max(p * (1 - p), 1 / n) / n)
            if after["accuracy"] < p - noise:
                found.append(f"{name}/{task}: accuracy {after['accuracy']:.4f} < {p:.4f} − {noise:.4f}")
    return found


def is_not_worse(old: dict, new: dict, noise: float = NOISE_Z) -> bool:
    """The retraining gate: True when no set and task got worse beyond noise."""
    return not regressions(old, new, noise)
