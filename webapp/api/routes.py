"""JSON API, version 1: bearer-token authentication, the same scope and k rules as the pages.

Errors are JSON ``{"error": code, "message": Vietnamese text}``; the OpenAPI document at
``/api/v1/openapi.json`` describes every route."""

from functools import wraps

from flask import abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from surveys import access, answering, definitions, kanon, people, privacy, results
from surveys.errors import N_
from surveys.models import Audience, Channel, Survey, Unit
from surveys.text import load_json
from surveys.timeutil import local_today

from ..extensions import db
from ..labels import SHOWN_KIND_LABELS, SHOWN_SENTIMENT_LABELS
from . import bp
from .openapi import document

_INVALID_BODY = N_('Nội dung gửi lên phải là JSON: {"answers": {…}}.')


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        api_token = people.find_api_token(db.session, token.strip()) if scheme.lower() == "bearer" else None
        if api_token is None:
            abort(401)
        if people.record_token_use(api_token, local_today()):
            # The day of use, written by the day's first call only; committed now so a refused call counts too.
            db.session.commit()
        g.api_user = api_token.user
        return view(*args, **kwargs)

    return wrapped


def _survey_summary(survey: Survey) -> dict:
    return {
        "id": survey.id,
        "title": survey.title,
        "state": survey.state.value,
        "audience": survey.audience.value,
        "anonymity": survey.anonymity.value,
        "owner_unit": survey.owner_unit.code,
        "opens_at": survey.opens_at.isoformat() if survey.opens_at else None,
        "closes_at": survey.closes_at.isoformat() if survey.closes_at else None,
    }


@bp.route("/openapi.json")
def openapi():
    return jsonify(document())


@bp.route("/surveys")
@token_required
def list_surveys():
    user = g.api_user
    readable = (
        db.session.scalars(select(Survey).where(access.readable_surveys_clause(db.session, user))).all()
        if access.can(user, "results.read")
        else []
    )
    answerable = answering.answerable_surveys(db.session, user)
    return jsonify(
        {"readable": [_survey_summary(s) for s in readable], "answerable": [_survey_summary(s) for s in answerable]}
    )


def _survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404, _("Không tìm thấy khảo sát."))
    return survey


@bp.route("/surveys/<int:survey_id>")
@token_required
def get_survey(survey_id: int):
    survey = _survey(survey_id)
    if not (access.can(g.api_user, "results.read", survey) or answering.may_answer(g.api_user, survey)):
        abort(403, _("Khảo sát này nằm ngoài phạm vi của bạn."))
    required = privacy.requires_consent(survey)
    notice = {
        "required": required,
        "text": privacy.notice_text(survey) if required else None,
        "hash": privacy.notice_hash(survey) if required else None,
    }
    return jsonify(
        _survey_summary(survey) | {"definition": definitions.export_definition(survey), "privacy_notice": notice}
    )


@bp.route("/surveys/<int:survey_id>/responses", methods=["POST"])
@token_required
def submit(survey_id: int):
    """Submit as the token's owner, to a staff survey. Citizens and invitees answer only through
    their links, under the link's rate limit, honeypot and challenge. Send an ``Idempotency-Key``
    header: a retry with the same key returns the first result and stores nothing new. A survey
    that keeps who answered needs ``consent``: the hash of its privacy notice, agreed to."""
    survey = _survey(survey_id)
    if survey.audience != Audience.STAFF:
        abort(
            403,
            _(
                "Khảo sát này chỉ nhận câu trả lời qua đường dẫn công khai hoặc đường dẫn mời riêng; "
                "API chỉ nhận câu trả lời cho khảo sát cán bộ."
            ),
        )
    body = load_json(request.get_data(), invalid=_INVALID_BODY) if request.is_json else None
    if not isinstance(body, dict):
        abort(400, _(_INVALID_BODY))
    respondent = g.api_user
    answering.check_eligible(survey, respondent=respondent, invitation=None, unit=None)
    raw = answering.raw_from_json(survey.current_version, body.get("answers", {}))
    response, created = answering.submit_response(
        db.session,
        survey,
        raw,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
        channel=Channel.API,
        respondent=respondent,
        consent=body["consent"] if isinstance(body.get("consent"), str) else None,
    )
    reply = {"status": "accepted", "replayed": not created}
    if created:
        reply["follow_url"] = url_for("followup.follow", receipt=response.receipt, _external=True)
    return jsonify(reply), 201 if created else 200


def _text_json(item: results.TextItem) -> dict:
    """One free-text answer: each tag with how sure it is; a sentiment or kind the model is not sure
    of is "unsure" ("Chưa rõ"); a reviewer's correction has no confidence and is sure."""
    tags = item.tags
    return {
        "text": item.text,
        "sentiment": item.sentiment,
        "sentiment_label": str(SHOWN_SENTIMENT_LABELS[item.sentiment]) if item.sentiment else None,
        "sentiment_confidence": tags.sentiment_confidence if tags else None,
        "sentiment_sure": bool(tags and tags.sentiment_sure),
        "kind": item.kind,
        "kind_label": str(SHOWN_KIND_LABELS[item.kind]) if item.kind else None,
        "kind_confidence": tags.kind_confidence if tags else None,
        "kind_sure": bool(tags and tags.kind_sure),
        "topics": item.topics,
        "topic_confidence": tags.topic_confidence if tags else None,
        "topic_sure": bool(tags and tags.topic_sure),
        "keyphrases": item.keyphrases,
        "corrected": item.corrected,
    }


def _results_json(outcome: results.SurveyResults) -> dict:
    if outcome.suppressed:
        return {
            "survey": outcome.survey.id,
            "k": outcome.k,
            "suppressed": True,
            "narrowing": outcome.narrowing,
            "total": None,
            "invited": outcome.invited,
            "awaiting_release": outcome.pending,
            "groups": [],
            "questions": [],
        }

    def bars(items):
        return [{"value": b.value, "label": b.label, "count": b.count} for b in items]

    return {
        "survey": outcome.survey.id,
        "k": outcome.k,
        "suppressed": False,
        "narrowing": outcome.narrowing,
        "total": outcome.total,
        "invited": outcome.invited,
        "response_rate": outcome.rate,
        "awaiting_release": outcome.pending,
        "sentiments": dict(outcome.sentiment_counts),
        "kinds": dict(outcome.kind_counts),
        "topics": dict(outcome.topic_counts),
        "groups": [
            {
                "unit": g.unit.code if g.unit else None,
                "name": g.unit.name if g.unit else kanon.REMAINDER_LABEL,
                "count": g.count,
                "merged_units": g.merged_units,
            }
            for g in outcome.groups
        ],
        "questions": [
            {
                "key": q.question.key,
                "kind": q.question.kind.value,
                "text": q.question.text,
                "answered": q.answered,
                "bars": bars(q.bars),
                "average": q.average,
                "median": q.median,
                "nps": q.nps,
                "rows": [
                    {"label": label, "bars": bars(row_bars), "average": average} for label, row_bars, average in q.rows
                ],
                "texts": [_text_json(t) for t in q.texts],
                "others": q.others,
            }
            for q in outcome.questions
        ],
    }


def _tag_filter(name: str, allowed, message: str) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in allowed:
        abort(400, message)
    return value


@bp.route("/surveys/<int:survey_id>/results")
@token_required
def survey_results(survey_id: int):
    survey = _survey(survey_id)
    user = g.api_user
    if not access.can(user, "results.read"):
        abort(403, _("Tài khoản này không có quyền xem kết quả."))
    if not access.can(user, "results.read", survey):
        abort(403, _("Khảo sát này nằm ngoài phạm vi của bạn."))
    filters = results.Filters()
    if request.args.get("unit"):
        unit = db.session.scalar(select(Unit).where(Unit.code == request.args["unit"]))
        if unit is None or not access.can(user, "units.read", unit):
            abort(403, _("Đơn vị này nằm ngoài phạm vi của bạn."))
        filters.unit = unit
    filters.sentiment = _tag_filter("sentiment", SHOWN_SENTIMENT_LABELS, _("Sắc thái không hợp lệ."))
    filters.kind = _tag_filter("kind", SHOWN_KIND_LABELS, _("Loại ý kiến không hợp lệ."))
    filters.topic = request.args.get("topic") or None
    outcome = results.compute(db.session, user, survey, filters, k=current_app.config["K_ANONYMITY"])
    return jsonify(_results_json(outcome))
