"""Batch tagging of answers: normalise, redact, segment once, vectorise once, then
sentiment, kind, topics (each with a confidence and whether it is sure enough to be used as
evidence), keyphrases and alerts."""

import hashlib
from pathlib import Path

import numpy as np

from .alerts import load_lexicon
from .corpus import ANSWERS
from .joint import joint_proba
from .keyphrases import keyphrases
from .models import (
    FEATURES_FILE,
    KINDS,
    MAX_TOPICS,
    SENTIMENTS,
    TASKS,
    load_artifact,
    model_file,
    predict_proba,
    thresholds,
    topics_from_proba,
)
from .normalize import normalize, strip_diacritics
from .redact import redact
from .segment import tokenize
from .training import BASE_VERSION, MODELS_DIR


class Tagger:
    def __init__(self, artifacts: dict, version: str):
        self.artifacts = artifacts
        self.sentiment, self.kind, self.topic = (artifacts[t] for t in TASKS)
        self.version = version
        self.alerts = load_lexicon()

    def tag(self, text: str) -> dict:
        return self.tag_many([text])[0]

    def _best(self, task: str, proba, flags):
        """Best label index, its probability and whether it reaches the head's threshold."""
        art = self.artifacts[task]
        best = proba.argmax(axis=1)
        confidence = proba[np.arange(len(best)), best]
        full_t, plain_t = thresholds(art)
        sure = confidence >= np.where(flags, plain_t, full_t)
        return best.tolist(), confidence.tolist(), sure.tolist()

    def tag_many(self, texts: list[str]) -> list[dict]:
        norms = [normalize(t) for t in texts]
        redacted = [redact(n.text) for n in norms]
        # Segment the redacted text so tokens and keyphrases never carry personal data.
        tokens = [tokenize(r) for r in redacted]
        flags = np.array([n.no_diacritics for n in norms], dtype=bool)
        plain = [[strip_diacritics(t) for t in tok] if f else tok for tok, f in zip(tokens, flags)]
        cache: dict = {}
        p_sent, answers_share = predict_proba(self.sentiment, tokens, plain, flags, cache, share_of=ANSWERS)
        p_kind = predict_proba(self.kind, tokens, plain, flags, cache)
        p_sent, p_kind = joint_proba(self.sentiment, self.kind, p_sent, p_kind, answers_share)
        topic = predict_proba(self.topic, tokens, plain, flags, cache)
        sent, sent_conf, sent_sure = self._best("sentiment", p_sent, flags)
        kind, kind_conf, kind_sure = self._best("kind", p_kind, flags)
        _, _, topic_sure = self._best("topic", topic, flags)
        ranked = (-topic).argsort(axis=1)[:, :MAX_TOPICS].tolist()  # one sort for the whole batch
        sent_labels, kind_labels, topic_labels = (self.artifacts[t]["labels"] for t in TASKS)
        return [
            {
                "text": norm.text,
                "redacted": redacted[i],
                "no_diacritics": norm.no_diacritics,
                "tokens": tokens[i],
                "sentiment": sent_labels[sent[i]],
                "sentiment_confidence": round(sent_conf[i], 4),
                "sentiment_sure": sent_sure[i],
                "kind": kind_labels[kind[i]],
                "kind_confidence": round(kind_conf[i], 4),
                "kind_sure": kind_sure[i],
                "topics": topics_from_proba(topic_labels, topic[i], ranked=ranked[i]),
                "topic_sure": topic_sure[i],
                "keyphrases": keyphrases(tokens[i]),
                "alerts": self.alerts.detect(norm.text),
                "model_version": self.version,
            }
            for i, norm in enumerate(norms)
        ]


def _version(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{BASE_VERSION}+{digest.hexdigest()[:8]}"


def load_tagger(model_dir: str | Path | None = None) -> Tagger:
    """Load models from model_dir; a task missing there comes from the shipped models."""
    used, arts = [], {}
    for task in TASKS:
        for directory in ([Path(model_dir)] if model_dir else []) + [MODELS_DIR]:
            art = load_artifact(directory, task)
            if art is not None:
                arts[task] = art
                used.append(model_file(directory, task))
                if (directory / FEATURES_FILE).exists():
                    used.append(directory / FEATURES_FILE)
                break
        else:
            raise FileNotFoundError(f"no {task} model in {model_dir or MODELS_DIR}")
    for task, allowed in (("sentiment", SENTIMENTS), ("kind", KINDS)):
        if set(arts[task]["labels"]) - set(allowed):
            raise ValueError(f"{task} model has unexpected labels")
    return Tagger(arts, _version(list(dict.fromkeys(used))))
