"""Rebuild the shipped models (`python -m nlp train`) or train one task on given files.

    from nlp.training import train_all
    metrics = train_all("/tmp/new-model", extra_rows=corrections)   # corrections: dicts with
    # text and any of sentiment / kind / topic, e.g. nlp.corpus.read_rows("corrections.tsv")

Sentiment learns from four domains at once (UIT-VSFC student feedback, VLSP 2016 product
reviews, UIT-VSMEC social media, and the project's staff/citizen answers) with
domain-aware heads (nlp/heads.py); kind and topic learn from the staff/citizen answers (topic
also from the taxonomy's seed phrases). Of every source a fixed stratified 15 % is held out
to calibrate the heads and choose their abstention thresholds, and reported; the heads are
then retrained on every row. The evaluation sets in nlp/data/eval/ are never trained on:
training rows that (nearly) repeat one of them are dropped.
"""

import json
import os
from datetime import date
from pathlib import Path

import numpy as np
import sklearn

from .corpus import (
    ANSWERS,
    Source,
    TokenCache,
    holdout_mask,
    leaked,
    near_duplicate_groups,
    read_rows,
    sha256_file,
)
from .evaluation import default_sets, evaluate_model
from .joint import attach
from .models import SEED, TASKS, fit_features, save_model, train_task
from .taxonomy import load_taxonomy

PACKAGE_DIR = Path(__file__).parent
PROJECT_ROOT = PACKAGE_DIR.parent
MODELS_DIR = PACKAGE_DIR / "models"
DATA_DIR = PACKAGE_DIR / "data"
TRAIN_DIR = DATA_DIR / "train"
SHARED_DIR = PROJECT_ROOT.parent / "shared" / "data"
BASE_VERSION = "2026.11-2"
HOLDOUT_FRACTION = 0.15
# Staff/citizen rows and reviewer corrections are few next to the public corpora.
ANSWER_WEIGHT = 8.0
SEED_WEIGHT = 0.5  # taxonomy seed phrases: short weak topic labels
TOKEN_CACHE_ENV = "NLP_TOKEN_CACHE"  # optional file keeping segmentations between runs


def default_sources(shared_dir=SHARED_DIR, train_dir=TRAIN_DIR) -> list[Source]:
    shared_dir = Path(shared_dir)
    sources = [
        Source("uit-vsfc", shared_dir / "uit-vsfc" / "train.tsv", "vsfc"),
        Source("vlsp2016", shared_dir / "vlsp2016" / "train.tsv", "vlsp"),
        Source("uit-vsmec", shared_dir / "uit-vsmec" / "train.tsv", "vsmec"),
    ]
    sources += [Source(path.stem, path, ANSWERS, ANSWER_WEIGHT) for path in sorted(Path(train_dir).glob("*.tsv"))]
    missing = [str(s.path) for s in sources if not s.path.exists()]
    if missing:
        raise FileNotFoundError(f"training data missing: {', '.join(missing)}")
    return sources


def _load(sources, extra_rows, eval_sets) -> tuple[list[dict], dict]:
    """Training rows with `weight` and `holdout` set, and a summary of the data."""
    rows, summary = [], {"sources": [], "dropped_as_leaks": 0}
    eval_texts = [r["text"] for path in eval_sets.values() for r in read_rows(path)]
    for source in sources:
        part = read_rows(source.path, source.domain)
        if source.domain == ANSWERS and eval_texts:
            drop = set(leaked([r["text"] for r in part], eval_texts))
            summary["dropped_as_leaks"] += len(drop)
            part = [r for i, r in enumerate(part) if i not in drop]
        mask = holdout_mask(
            [r.get("sentiment") or r.get("kind") or r.get("topic") for r in part],
            HOLDOUT_FRACTION,
            SEED,
            groups=near_duplicate_groups([r["text"] for r in part]),
        )
        for row, held in zip(part, mask):
            row.update(weight=source.weight, holdout=bool(held), source=source.name)
        rows += part
        summary["sources"].append(
            {
                "name": source.name,
                "path": _display(source.path),
                "domain": source.domain,
                "rows": len(part),
                "holdout_rows": int(mask.sum()),
                "sha256": sha256_file(source.path),
                "weight": source.weight,
            }
        )
    extra = [dict(r, domain=ANSWERS, weight=ANSWER_WEIGHT, holdout=False, source="extra") for r in extra_rows]
    if extra and eval_texts:
        drop = set(leaked([r["text"] for r in extra], eval_texts))
        summary["dropped_as_leaks"] += len(drop)
        extra = [r for i, r in enumerate(extra) if i not in drop]
    rows += extra
    summary["extra_rows"] = len(extra)
    summary["holdout_fraction"] = HOLDOUT_FRACTION
    return rows, summary


def _seed_rows(taxonomy) -> list[dict]:
    return [
        {
            "text": seed,
            "topic": topic.key,
            "domain": ANSWERS,
            "weight": SEED_WEIGHT,
            "holdout": False,
            "source": "taxonomy",
        }
        for topic in taxonomy.topics
        for seed in topic.seeds
    ]


def _task_rows(task: str, rows: list[dict], taxonomy) -> list[dict]:
    """Sentiment: every domain. Kind: staff/citizen rows. Topic: staff/citizen rows whose
    topic is in the taxonomy, plus the seed phrases."""
    if task == "sentiment":
        return [r for r in rows if r.get("sentiment")]
    if task == "kind":
        return [r for r in rows if r.get("kind") and r["domain"] == ANSWERS]
    keys = set(taxonomy.keys())
    return [r for r in rows if r.get("topic") in keys and r["domain"] == ANSWERS] + _seed_rows(taxonomy)


def _train(task_rows: dict, cache: TokenCache) -> tuple[dict, dict]:
    """Shared features over every text, then one artifact per task."""
    texts = list(dict.fromkeys(r["text"] for rows in task_rows.values() for r in rows))
    full, plain = cache.segment(texts)
    cache.save()
    position = {t: i for i, t in enumerate(texts)}
    features = fit_features(full, plain)
    artifacts = {}
    for task, rows in task_rows.items():
        idx = [position[r["text"]] for r in rows]
        tokens = {"full": [full[i] for i in idx], "plain": [plain[i] for i in idx]}
        domains = [r["domain"] for r in rows]
        artifacts[task] = train_task(
            task,
            features,
            tokens,
            [r[task] for r in rows],
            [r["weight"] for r in rows],
            domains if len(set(domains)) > 1 else None,
            np.array([r["holdout"] for r in rows]),
            eval_domain=ANSWERS,
        )
    return features, artifacts


def train_all(
    output_dir=MODELS_DIR, extra_rows=(), *, sources=None, eval_sets=None, taxonomy_path=None, token_cache=None
) -> dict:
    """Train sentiment, kind and topic; write the artifacts, metrics.json and card.json
    into output_dir; return the metrics. `extra_rows` (reviewer corrections) count like
    staff/citizen rows and are never held out."""
    from .card import write_card

    sources = default_sources() if sources is None else sources
    eval_sets = default_sets() if eval_sets is None else eval_sets
    taxonomy = load_taxonomy(taxonomy_path)
    rows, data = _load(sources, list(extra_rows), eval_sets)
    task_rows = {task: _task_rows(task, rows, taxonomy) for task in TASKS}
    data["rows_per_task"] = {task: len(r) for task, r in task_rows.items()}
    features, artifacts = _train(task_rows, TokenCache(token_cache or os.environ.get(TOKEN_CACHE_ENV)))
    # The compatibility table comes from rows outside the hold-outs, which measure it.
    pairs = [(r["sentiment"], r["kind"]) for r in task_rows["kind"] if r.get("sentiment") and not r["holdout"]]
    attach(artifacts["sentiment"], artifacts["kind"], pairs)
    written = save_model(output_dir, features, artifacts)
    metrics = {
        "version_base": BASE_VERSION,
        "trained": date.today().isoformat(),
        "sklearn": sklearn.__version__,
        "random_state": SEED,
        "data": data,
        "holdout": {task: {v: art[f"{v}_report"] for v in ("full", "plain")} for task, art in artifacts.items()},
        "artifacts": {p.name: {"bytes": p.stat().st_size, "sha256": sha256_file(p)} for p in written},
        "evaluation": evaluate_model(output_dir, eval_sets),
        "evaluation_sets": {name: {"path": _display(p), "sha256": sha256_file(p)} for name, p in eval_sets.items()},
    }
    Path(output_dir, "metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    write_card(output_dir, metrics)
    return metrics


def train_single(task: str, paths, output_dir, token_cache=None) -> dict:
    """One task from TSV files (any label set), with features of its own, written into
    output_dir beside whatever other tasks are there. Returns a summary."""
    rows = [r for path in paths for r in read_rows(path) if r.get(task)]
    for r in rows:
        r.update(weight=1.0)
    labels = [r[task] for r in rows]
    holdout = holdout_mask(labels, HOLDOUT_FRACTION, SEED, groups=near_duplicate_groups([r["text"] for r in rows]))
    if len(rows) < 40 or len(set(labels)) < 2:
        holdout[:] = False  # too few rows to hold any out: calibrate on the training rows
    cache = TokenCache(token_cache or os.environ.get(TOKEN_CACHE_ENV))
    full, plain = cache.segment([r["text"] for r in rows])
    cache.save()
    features = fit_features(full, plain)
    art = train_task(
        task, features, {"full": full, "plain": plain}, labels, [1.0] * len(rows), None, holdout, eval_domain=None
    )
    art["features"] = features
    save_model(output_dir, None, {task: art})
    return {
        "task": task,
        "rows": len(rows),
        "labels": art["labels"],
        "output": str(output_dir),
        "holdout": art["full_report"]["holdout"],
    }


def _display(path) -> str:
    path = Path(os.path.abspath(path))
    for base, prefix in ((PROJECT_ROOT, ""), (PROJECT_ROOT.parent, "../")):
        try:
            return prefix + str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)
