"""The NLP tagger, loaded once per process and only by the processes that tag (the
scheduler, ``flask nlp tag``): web workers never load the models.

The models in use are the active version of ``model_versions`` (``flask nlp retrain``), kept
under the instance folder's ``nlp-models/``; before any retraining, ``NLP_MODEL_DIR`` or the
shipped models. A process picks up a newly activated version at its next call."""

import threading
from pathlib import Path
from typing import Any

from flask import Flask

import nlp
from surveys import model_versions

from .extensions import db

_lock = threading.Lock()
_loaded: tuple[str, "nlp.Tagger"] | None = None  # (folder, tagger): only the version in use stays in memory


def versions_root(app: Flask) -> Path:
    """Where every model version's artifacts are kept."""
    return Path(app.instance_path) / "nlp-models"


def start_dir(app: Flask) -> Path | None:
    """The models in use before any retraining: NLP_MODEL_DIR, or None for the shipped ones."""
    configured = app.config.get("NLP_MODEL_DIR") or ""
    return Path(configured) if configured else None


def model_dir(app: Flask) -> Path | None:
    session = db.session()  # the scoped session's own Session
    untouched = not (session.in_transaction() or session.new or session.dirty or session.deleted)
    active = model_versions.active_directory(session, versions_root(app))
    if untouched:
        # A read of our own: end it, so that SQLite's write lock is not held while the models load.
        session.rollback()
    return active or start_dir(app)


def get_tagger(app: Flask) -> "nlp.Tagger":
    global _loaded
    folder = str(model_dir(app) or "")
    with _lock:
        if _loaded is None or _loaded[0] != folder:
            _loaded = (folder, nlp.load_tagger(folder or None))
        return _loaded[1]


def model_card(app: Flask) -> dict[str, Any] | None:
    """The card.json of the models in use (cheap: no model is loaded)."""
    return model_versions.card(db.session, versions_root(app), start_dir(app))


_taxonomy: nlp.Taxonomy | None = None


def taxonomy(app: Flask) -> nlp.Taxonomy:
    """The deployment's topics (NLP_TAXONOMY, or the shipped file); cheap, no models loaded."""
    global _taxonomy
    if _taxonomy is None:
        _taxonomy = nlp.load_taxonomy(app.config.get("NLP_TAXONOMY") or None)
    return _taxonomy
