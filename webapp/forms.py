"""Forms and form pieces shared by several blueprints."""

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import SelectChoice

from surveys.models import Unit


class EmptyForm(FlaskForm):
    """CSRF-only form for buttons that POST."""


def unit_label(unit: Unit) -> str:
    """A unit's name indented by its depth in the tree, as a drop-down list shows it."""
    return "— " * unit.depth + unit.name


def unit_choices(units: Iterable[Unit], *, first: SelectChoice | None = None) -> list[SelectChoice]:
    """A drop-down's units in the order given, each indented by its depth; ``first``: a choice above them."""
    return ([first] if first is not None else []) + [SelectChoice(u.id, unit_label(u)) for u in units]
