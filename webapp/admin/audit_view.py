"""The audit log as people read it: Vietnamese names for actions, objects and fields, the object's
name with a link to it, the person's name, before and after for each changed field, and values in
words and dd/mm/yyyy (never codes, ids or JSON)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from surveys.models import AuditEntry
from surveys.people import ROLE_LABELS
from surveys.timeutil import format_date, format_datetime, parse_date

from ..labels import (
    ANSWER_KIND_LABELS,
    AUDIT_ACTION_LABELS,
    AUDIT_FIELD_LABELS,
    AUDIT_OBJECT_LABELS,
    COMMITTEE_KIND_LABELS,
    RECOMMENDATION_STATUS_LABELS,
    SENTIMENT_LABELS,
    UNIT_KIND_LABELS,
)

# Where each kind of object is seen, from its id (and the entry, for a holiday's year).
_OBJECT_LINKS: dict[str, Callable[[AuditEntry], str]] = {
    "Unit": lambda e: url_for("admin.unit_form", unit_id=e.object_id),
    "Committee": lambda e: url_for("admin.committee_form", committee_id=e.object_id),
    "User": lambda e: url_for("admin.user_form", user_id=e.object_id),
    "Survey": lambda e: url_for("authoring.detail", survey_id=e.object_id),
    "Recommendation": lambda e: url_for("followup.detail", recommendation_id=e.object_id),
    "PublicHoliday": lambda e: url_for("admin.holidays", year=str(e.details.get("day", ""))[:4] or None),
    "OutboxEmail": lambda e: url_for("admin.failed_mail"),
    "ModelVersion": lambda e: url_for("results.model_card"),
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditLine:
    when: str
    actor: str
    actor_url: str | None
    action: str
    object_kind: str
    object_name: str
    object_url: str | None
    changes: list[Change]
    facts: list[tuple[str, str]]

    def as_text(self) -> str:
        """The details on one line, for the CSV export."""
        parts = [f"{c.field}: {c.before} → {c.after}" for c in self.changes]
        return "; ".join(parts + [f"{field}: {value}" for field, value in self.facts])


class AuditPresenter:
    """Turns entries into lines; ``topic_labels`` names the NLP topics a tag correction mentions."""

    def __init__(self, topic_labels: Mapping[str, str]):
        self._value_labels: dict[str, Mapping[str, Any]] = {
            "kind": {**UNIT_KIND_LABELS, **COMMITTEE_KIND_LABELS},
            "role": ROLE_LABELS,
            "status": RECOMMENDATION_STATUS_LABELS,
            "sentiment": SENTIMENT_LABELS,
            "answer_kind": ANSWER_KIND_LABELS,
            "topics": topic_labels,
        }

    def value(self, field: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return _("Có") if value else _("Không")
        if isinstance(value, list):
            return ", ".join(self.value(field, item) for item in value)
        if not isinstance(value, str):
            return str(value)
        if field == "day":
            try:
                return format_date(parse_date(str(value)))
            except ValueError:
                return str(value)
        label = self._value_labels.get(field, {}).get(value)
        return str(_(label) if field == "role" and label else label or value)

    def line(self, entry: AuditEntry) -> AuditLine:
        details = dict(entry.details or {})
        changes = details.pop("changes", {}) or {}
        link = _OBJECT_LINKS.get(entry.object_type)
        return AuditLine(
            when=format_datetime(entry.occurred_at),
            actor=entry.actor.full_name if entry.actor else _("Hệ thống"),
            actor_url=url_for("admin.user_form", user_id=entry.actor_id) if entry.actor else None,
            action=str(AUDIT_ACTION_LABELS.get(entry.action, _("Thao tác khác"))),
            object_kind=str(AUDIT_OBJECT_LABELS.get(entry.object_type, "")),
            object_name=entry.object_label or (_("số %(id)s", id=entry.object_id) if entry.object_id else ""),
            object_url=link(entry) if link and entry.object_id else None,
            changes=[
                Change(self.field(name), self.value(name, pair[0]), self.value(name, pair[1]))
                for name, pair in changes.items()
                if isinstance(pair, list) and len(pair) == 2
            ],
            facts=[
                (self.field(name), self.value(name, value))
                for name, value in details.items()
                if value not in (None, "", [])
            ],
        )

    @staticmethod
    def field(name: str) -> str:
        return str(AUDIT_FIELD_LABELS.get(name, name))
