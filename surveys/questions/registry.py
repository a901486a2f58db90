"""The one registry of question kinds: each kind's module registers its class here."""

from collections.abc import Callable

from ..models import Question, QuestionKind
from .base import QuestionType

KINDS: dict[QuestionKind, QuestionType] = {}


def register(kind: QuestionKind, label: str, *, template: str | None = None) -> Callable:
    """Class decorator: the class is ``kind``, named ``label`` for authors (marked with N_) and drawn
    by ``answering/questions/<template>.html`` (the kind's value unless said)."""

    def decorate(cls: type[QuestionType]) -> type[QuestionType]:
        cls.kind, cls.label, cls.template = kind, label, template or kind.value
        KINDS[kind] = cls()
        return cls

    return decorate


def kind_of(question: Question | QuestionKind | str) -> QuestionType:
    """The kind of a question (or of a kind's value)."""
    return KINDS[QuestionKind(getattr(question, "kind", question))]


def kinds_where(**flags: bool) -> frozenset[QuestionKind]:
    """The kinds whose attributes have these values, e.g. ``kinds_where(free_text=True)``."""
    return frozenset(
        kind for kind, qtype in KINDS.items() if all(getattr(qtype, name) == value for name, value in flags.items())
    )
