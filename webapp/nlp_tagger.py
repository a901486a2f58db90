"""The NLP tagger, loaded once per process and only by the processes that tag (the
scheduler, ``flask nlp tag``): web workers never load the models."""

import threading

from flask import Flask

import nlp

_lock = threading.Lock()
_taggers: dict[str, "nlp.Tagger"] = {}


def get_tagger(app: Flask) -> "nlp.Tagger":
    model_dir = app.config.get("NLP_MODEL_DIR") or ""
    with _lock:
        if model_dir not in _taggers:
            _taggers[model_dir] = nlp.load_tagger(model_dir or None)
        return _taggers[model_dir]


_taxonomy: nlp.Taxonomy | None = None


def taxonomy(app: Flask) -> nlp.Taxonomy:
    """The deployment's topics (NLP_TAXONOMY, or the shipped file); cheap, no models loaded."""
    global _taxonomy
    if _taxonomy is None:
        _taxonomy = nlp.load_taxonomy(app.config.get("NLP_TAXONOMY") or None)
    return _taxonomy
