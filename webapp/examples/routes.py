"""Good examples of mass mobilisation: the public page, and committees recording them."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from surveys import access, examples
from surveys.models import CLOSED_STATUSES, Committee, ExampleKind, GoodExample, Recommendation, Unit
from surveys.timeutil import local_today

from ..boundary import submitted
from ..extensions import db
from ..forms import unit_choices
from ..security import offered, permission_required
from . import bp
from .forms import KIND_LABELS, ExampleForm


@bp.route("/examples/")
def index():
    return render_template("examples/index.html", items=examples.published(db.session), kind_labels=KIND_LABELS)


@bp.route("/examples/<int:example_id>")
def detail(example_id: int):
    example = db.session.get(GoodExample, example_id)
    if example is None or not access.can(current_user, "examples.public", example):
        abort(404)  # one not yet published does not exist for the public
    return render_template("examples/detail.html", item=example, kind_labels=KIND_LABELS)


def _choices(form: ExampleForm) -> tuple[dict[int, Unit], dict[int, Recommendation]]:
    clause = access.units_clause(current_user, "examples.record")
    units = {
        u.id: u for u in db.session.scalars(select(Unit).where(clause, Unit.is_active).order_by(Unit.path).limit(3000))
    }
    form.unit_id.choices = unit_choices(units.values())
    in_scope = select(Unit.id).where(clause)
    answered = db.session.scalars(
        select(Recommendation)
        .where(
            Recommendation.status.in_(CLOSED_STATUSES),
            Recommendation.is_public,
            Recommendation.owner_unit_id.in_(in_scope),
        )
        .order_by(Recommendation.answered_on.desc())
        .limit(200)
    ).all()
    form.recommendation_ids.choices = [SelectChoice(r.id, r.title) for r in answered]
    return units, {r.id: r for r in answered}


def _committee_for(unit: Unit) -> Committee | None:
    """The reader's committee that oversees ``unit`` (the one recording the example)."""
    for assignment in current_user.roles:
        committee = assignment.committee
        if committee is not None and any(unit.path.startswith(u.path) for u in committee.overseen_units):
            return committee
    return None


@bp.route("/examples/new", methods=["GET", "POST"])
@permission_required("examples.record")
def new():
    form = ExampleForm()
    units, answered = _choices(form)
    if submitted(form):
        unit = offered(units, form.unit_id.data)
        example = examples.record(
            db.session,
            title=form.title.data,
            kind=ExampleKind(form.kind.data),
            description=form.description.data,
            unit=unit,
            committee=_committee_for(unit),
            recommendations=[offered(answered, i) for i in form.recommendation_ids.data],
            publish=form.publish.data,
            actor=current_user,
            today=local_today(),
        )
        flash(_("Đã ghi nhận mô hình, điển hình."), "success")
        return redirect(url_for(".detail", example_id=example.id))
    return render_template("examples/new.html", form=form)
