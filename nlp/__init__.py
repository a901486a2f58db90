"""Vietnamese answer analysis: normalisation, redaction, sentiment, topics, keyphrases,
alerts and emerging themes. No Flask, no database.

The tagger and the theme finder pull in underthesea and scikit-learn; they are imported on
first use, so a process that only redacts or normalises (every web worker) stays light."""

from importlib import import_module

from .alerts import detect_alerts
from .normalize import NormalizedText, normalize
from .redact import redact
from .taxonomy import Taxonomy, Topic, load_taxonomy

_LAZY = {"Tagger": ".tagger", "load_tagger": ".tagger", "find_emerging_themes": ".themes"}

__all__ = [
    "NormalizedText",
    "Tagger",
    "Taxonomy",
    "Topic",
    "detect_alerts",
    "find_emerging_themes",
    "load_tagger",
    "load_taxonomy",
    "normalize",
    "redact",
]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
