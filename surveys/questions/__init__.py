"""Question kinds: one class per kind (surveys/questions/<module>.py), one registry.

A new kind is one module here (its class, declared with ``@register(kind, label)``), its value
in ``QuestionKind`` and one template, ``webapp/answering/templates/answering/questions/<kind>.html``.
Definitions, answering, results, exports and the answering pages ask ``kind_of(question)``.
"""

import importlib
import pkgutil

from .base import OTHER, Bar, QuestionType, Raw, field_name
from .registry import KINDS, kind_of, kinds_where

# Every module of this package but the machinery registers kinds when imported.
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("base", "registry"):
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["KINDS", "OTHER", "Bar", "QuestionType", "Raw", "field_name", "kind_of", "kinds_where"]
