"""Rebuild the shipped default models (`python -m nlp train` without arguments)."""
import json
from datetime import date
from pathlib import Path

import numpy as np
import sklearn

from .models import (build_features, evaluate_artifact, read_tsv, save_artifacts,
                     segment_corpus, sha256_file, train_task)
from .taxonomy import load_taxonomy

PACKAGE_DIR = Path(__file__).parent
PROJECT_ROOT = PACKAGE_DIR.parent
MODELS_DIR = PACKAGE_DIR / "models"
DATA_DIR = PACKAGE_DIR / "data"
UIT_DIR = PROJECT_ROOT.parent / "shared" / "data" / "uit-vsfc"
DOMAIN_TRAIN = DATA_DIR / "domain_train.tsv"
DOMAIN_EVAL = DATA_DIR / "domain_eval.tsv"
BASE_VERSION = "2026.11-1"
# Domain rows and reviewer corrections are few next to UIT-VSFC; count them double.
DOMAIN_WEIGHT = 4.0
SEED_WEIGHT = 0.5


def train_default(extra=(), output=MODELS_DIR, uit_dir=UIT_DIR, taxonomy_path=None) -> dict:
    """Train sentiment (UIT-VSFC train + domain + extra) and topic (domain + taxonomy
    seeds + extra) with one shared vectoriser; write artifacts and metrics.json."""
    uit_dir = Path(uit_dir)
    taxonomy = load_taxonomy(taxonomy_path)
    keys = set(taxonomy.keys())
    weighted_files = [(uit_dir / "train.tsv", 1.0), (DOMAIN_TRAIN, DOMAIN_WEIGHT)]
    weighted_files += [(Path(p), DOMAIN_WEIGHT) for p in extra]

    sent_texts, sent_labels, sent_weights = [], [], []
    topic_texts, topic_labels, topic_weights = [], [], []
    for path, weight in weighted_files:
        texts, labels = read_tsv([path], "sentiment")
        sent_texts += texts
        sent_labels += labels
        sent_weights += [weight] * len(texts)
        if path == uit_dir / "train.tsv":
            continue  # UIT-VSFC topics are a different label set
        texts, labels = read_tsv([path], "topic")
        pairs = [(t, lab) for t, lab in zip(texts, labels) if lab in keys]
        topic_texts += [t for t, _ in pairs]
        topic_labels += [lab for _, lab in pairs]
        topic_weights += [weight] * len(pairs)
    for topic in taxonomy.topics:  # weak labels: every seed phrase is a short example
        topic_texts += topic.seeds
        topic_labels += [topic.key] * len(topic.seeds)
        topic_weights += [SEED_WEIGHT] * len(topic.seeds)

    all_texts = list(dict.fromkeys(sent_texts + topic_texts))
    full_tokens, plain_tokens = segment_corpus(all_texts)
    position = {t: i for i, t in enumerate(all_texts)}
    full_features, plain_features = build_features(), build_features(plain=True)
    full_features.fit(full_tokens)
    plain_features.fit(plain_tokens)

    artifacts = {}
    for task, texts, labels, weights in (("sentiment", sent_texts, sent_labels, sent_weights),
                                         ("topic", topic_texts, topic_labels, topic_weights)):
        rows = [position[t] for t in texts]
        shared = (full_features, plain_features,
                  [full_tokens[i] for i in rows], [plain_tokens[i] for i in rows])
        sources = [{"path": _display(p), "sha256": sha256_file(p)} for p, _ in weighted_files]
        if task == "topic":
            sources = [s for s in sources if "uit-vsfc" not in s["path"]]
            sources.append({"path": _display(taxonomy_path or DATA_DIR / "taxonomy.json"),
                            "sha256": sha256_file(taxonomy_path or DATA_DIR / "taxonomy.json")})
        artifacts[task] = train_task(task, texts, labels, weights=np.asarray(weights),
                                     sources=sources, shared=shared)
    written = save_artifacts(artifacts, output, shared_features=(full_features, plain_features))

    metrics = {
        "version_base": BASE_VERSION,
        "trained": date.today().isoformat(),
        "sklearn": sklearn.__version__,
        "random_state": 13,
        "training_data": {task: art["sources"] for task, art in artifacts.items()},
        "training_rows": {task: art["rows"] for task, art in artifacts.items()},
        "artifacts": {p.name: {"bytes": p.stat().st_size, "sha256": sha256_file(p)} for p in written},
    }
    dev = uit_dir / "dev.tsv"
    evaluations = {}
    if dev.exists():
        evaluations["uit_vsfc_dev_sentiment"] = evaluate_artifact(artifacts["sentiment"], *read_tsv([dev], "sentiment"))
    evaluations["domain_eval_sentiment"] = evaluate_artifact(artifacts["sentiment"], *read_tsv([DOMAIN_EVAL], "sentiment"))
    evaluations["domain_eval_topic"] = evaluate_artifact(artifacts["topic"], *read_tsv([DOMAIN_EVAL], "topic"))
    metrics["evaluation"] = evaluations
    Path(output, "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n",
                                            encoding="utf-8")
    return metrics


def _display(path) -> str:
    path = Path(path).resolve()
    for base, prefix in ((PROJECT_ROOT, ""), (PROJECT_ROOT.parent, "../")):
        try:
            return prefix + str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)
