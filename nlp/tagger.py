"""Batch tagging of answers: normalise, redact, segment once, then sentiment, topics,
keyphrases and alerts."""
import hashlib
from pathlib import Path

from .alerts import load_lexicon
from .keyphrases import keyphrases
from .models import MAX_TOPICS, SENTIMENTS, load_artifact, predict_proba, topics_from_proba
from .normalize import normalize, strip_diacritics
from .redact import redact
from .segment import tokenize
from .training import BASE_VERSION, MODELS_DIR


class Tagger:
    def __init__(self, sentiment: dict, topic: dict, version: str):
        self.sentiment = sentiment
        self.topic = topic
        self.version = version
        self.alerts = load_lexicon()

    def tag(self, text: str) -> dict:
        return self.tag_many([text])[0]

    def tag_many(self, texts: list[str]) -> list[dict]:
        norms = [normalize(t) for t in texts]
        redacted = [redact(n.text) for n in norms]
        # Segment the redacted text so tokens and keyphrases never carry personal data.
        tokens = [tokenize(r) for r in redacted]
        flags = [n.no_diacritics for n in norms]
        plain = [[strip_diacritics(t) for t in tok] if f else tok for tok, f in zip(tokens, flags)]
        cache: dict = {}
        sent = predict_proba(self.sentiment, tokens, plain, flags, cache)
        topic = predict_proba(self.topic, tokens, plain, flags, cache)
        ranked = (-topic).argsort(axis=1)[:, :MAX_TOPICS].tolist()  # one sort for the whole batch
        sent_best = sent.argmax(axis=1).tolist()
        results = []
        for i, norm in enumerate(norms):
            best = sent_best[i]
            results.append({
                "text": norm.text,
                "redacted": redacted[i],
                "no_diacritics": norm.no_diacritics,
                "tokens": tokens[i],
                "sentiment": self.sentiment["labels"][best],
                "sentiment_confidence": round(float(sent[i][best]), 4),
                "topics": topics_from_proba(self.topic["labels"], topic[i], ranked=ranked[i]),
                "keyphrases": keyphrases(tokens[i]),
                "alerts": self.alerts.detect(norm.text),
                "model_version": self.version,
            })
        return results


def _version(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{BASE_VERSION}+{digest.hexdigest()[:8]}"


def load_tagger(model_dir: str | Path | None = None) -> Tagger:
    """Load models from model_dir; a task missing there comes from the shipped models."""
    used = []
    arts = {}
    for task in ("sentiment", "topic"):
        for directory in ([Path(model_dir)] if model_dir else []) + [MODELS_DIR]:
            art = load_artifact(directory, task)
            if art is not None:
                arts[task] = art
                used += [p for p in directory.glob("*.joblib")]
                break
        else:
            raise FileNotFoundError(f"no {task} model in {model_dir or MODELS_DIR}")
    if set(arts["sentiment"]["labels"]) - set(SENTIMENTS):
        raise ValueError("sentiment model has unexpected labels")
    return Tagger(arts["sentiment"], arts["topic"], _version(list(dict.fromkeys(used))))
