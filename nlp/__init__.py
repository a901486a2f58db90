"""Vietnamese answer analysis: normalisation, redaction, sentiment, topics, keyphrases,
alerts and emerging themes. No Flask, no database."""
from .alerts import detect_alerts
from .normalize import NormalizedText, normalize
from .redact import redact
from .tagger import Tagger, load_tagger
from .taxonomy import Taxonomy, Topic, load_taxonomy
from .themes import find_emerging_themes

__all__ = ["NormalizedText", "Tagger", "Taxonomy", "Topic", "detect_alerts",
           "find_emerging_themes", "load_taxonomy", "load_tagger", "normalize", "redact"]
