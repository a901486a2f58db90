"""Forms and form pieces shared by several blueprints."""

from collections.abc import Iterable

from flask import request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, SelectChoice, StringField
from wtforms.validators import StopValidation

from surveys.models import Unit
from surveys.text import UNREADABLE, is_readable


def readable_text(_form: FlaskForm, field: Field) -> None:
    """Refuse NUL and bytes that were not UTF-8 (decoded as U+FFFD), keeping what was typed."""
    if isinstance(field.data, str) and not is_readable(field.data):
        raise StopValidation(_(UNREADABLE))


class Form(FlaskForm):
    """Every form of the app: its text fields refuse what the database cannot store."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField):
                field.validators = [readable_text, *field.validators]
            return field


def page_arg() -> int:
    """``?page=…``: a page number from 1 to 10,000; anything else is the first page."""
    value = request.args.get("page", "")
    number = int(value) if value.isascii() and value.isdigit() and len(value) <= 5 else 0
    return number if 0 < number <= 10_000 else 1


class EmptyForm(Form):
    """CSRF-only form for buttons that POST."""


def unit_label(unit: Unit) -> str:
    """A unit's name indented by its depth in the tree, as a drop-down list shows it."""
    return "— " * unit.depth + unit.name


def unit_choices(units: Iterable[Unit], *, first: SelectChoice | None = None) -> list[SelectChoice]:
    """A drop-down's units in the order given, each indented by its depth; ``first``: a choice above them."""
    return ([first] if first is not None else []) + [
        # data-*: what the unit picker (static/js/unit-picker.js) builds its searchable tree from.
        SelectChoice(u.id, unit_label(u), render_kw={"data-path": u.path, "data-depth": u.depth, "data-name": u.name})
        for u in units
    ]
