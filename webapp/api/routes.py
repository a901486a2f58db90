"""JSON API, version 1: bearer-token authentication, the same scope and k rules as the pages.

Errors are JSON ``{"error": code, "message": Vietnamese text}``; the OpenAPI document at
``/api/v1/openapi.json`` describes every route."""
from functools import wraps

from flask import current_app, g, jsonify, request, url_for
from sqlalchemy import select

from surveys import access, answering, authoring, kanon, definitions, people, results
from surveys.errors import DomainError
from surveys.models import Audience, Channel, Role, Survey, SurveyState, Unit
from surveys.timeutil import local_today

from ..extensions import db
from ..i18n import domain_message
from . import bp
from .openapi import document


def error(status: int, code: str, message: str, **extra):
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        api_token = people.find_api_token(db.session, token.strip()) if scheme.lower() == "bearer" else None
        if api_token is None:
            response = error(401, "unauthorized", "Thiếu hoặc sai mã truy cập (Authorization: Bearer …).")
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        if people.record_token_use(api_token, local_today()):
            db.session.commit()  # the day of use, written by the day's first call only
        g.api_user = api_token.user
        return view(*args, **kwargs)

    return wrapped


def _survey_summary(survey: Survey) -> dict:
    return {"id": survey.id, "title": survey.title, "state": survey.state.value, "audience": survey.audience.value,
            "anonymity": survey.anonymity.value, "owner_unit": survey.owner_unit.code,
            "opens_at": survey.opens_at.isoformat() if survey.opens_at else None,
            "closes_at": survey.closes_at.isoformat() if survey.closes_at else None}


def _answerable(survey: Survey) -> bool:
    user = g.api_user
    if survey.audience != Audience.STAFF or survey.state != SurveyState.OPEN:
        return False
    try:
        answering.check_eligible(survey, respondent=user, invitation=None, unit=None)
    except DomainError:
        return False
    return True


@bp.route("/openapi.json")
def openapi():
    return jsonify(document())


@bp.route("/surveys")
@token_required
def list_surveys():
    user = g.api_user
    readable = db.session.scalars(select(Survey).where(results.readable_surveys_clause(db.session, user))).all() \
        if user.has_role(Role.ADMIN, Role.AUTHOR, Role.UNIT_HEAD, Role.COMMITTEE_MEMBER, Role.INSPECTOR) else []
    open_staff = db.session.scalars(select(Survey).where(Survey.state == SurveyState.OPEN,
                                                         Survey.audience == Audience.STAFF)).all()
    answerable = [s for s in open_staff if _answerable(s)]
    return jsonify({"readable": [_survey_summary(s) for s in readable],
                    "answerable": [_survey_summary(s) for s in answerable]})


def _survey_for(survey_id: int, *, answer: bool = False):
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        return None, error(404, "not_found", "Không tìm thấy khảo sát.")
    if not (results.can_read_survey(g.api_user, survey) or (answer and _answerable(survey))):
        return None, error(403, "forbidden", "Khảo sát này nằm ngoài phạm vi của bạn.")
    return survey, None


@bp.route("/surveys/<int:survey_id>")
@token_required
def get_survey(survey_id: int):
    survey, failure = _survey_for(survey_id, answer=True)
    if failure:
        return failure
    return jsonify(_survey_summary(survey) | {"definition": definitions.export_definition(survey)})


@bp.route("/surveys/<int:survey_id>/responses", methods=["POST"])
@token_required
def submit(survey_id: int):
    """Submit as the token's owner, to a staff survey. Citizens and invitees answer only through
    their links, under the link's rate limit, honeypot and challenge. Send an ``Idempotency-Key``
    header: a retry with the same key returns the first result and stores nothing new."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        return error(404, "not_found", "Không tìm thấy khảo sát.")
    if survey.audience != Audience.STAFF:
        return error(403, "forbidden", "Khảo sát này chỉ nhận câu trả lời qua đường dẫn công khai hoặc đường dẫn "
                                       "mời riêng; API chỉ nhận câu trả lời cho khảo sát cán bộ.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, "bad_request", "Nội dung gửi lên phải là JSON: {\"answers\": {…}}.")
    key = request.headers.get("Idempotency-Key", "")
    respondent = g.api_user
    try:
        answering.check_eligible(survey, respondent=respondent, invitation=None, unit=None)
    except DomainError as failure:
        return error(403, "forbidden", domain_message(failure))
    try:
        raw = answering.raw_from_json(survey.current_version, body.get("answers", {}))
    except DomainError as failure:
        return error(400, "bad_request", domain_message(failure))
    try:
        response, created = answering.submit_response(
            db.session, survey, raw, idempotency_key=key, channel=Channel.API,
            respondent=respondent)
    except answering.ValidationFailed as failure:
        db.session.rollback()
        return error(422, "invalid", domain_message(failure),
                     fields={k: domain_message(e) for k, e in failure.errors.items()})
    except DomainError as failure:
        db.session.rollback()
        return error(409 if authoring.is_accepting(survey) else 410, "rejected", domain_message(failure))
    db.session.commit()
    body = {"status": "accepted", "replayed": not created}
    if created:
        body["follow_url"] = url_for("followup.follow", receipt=response.receipt, _external=True)
    return jsonify(body), 201 if created else 200


def _results_json(outcome: results.SurveyResults) -> dict:
    if outcome.suppressed:
        return {"survey": outcome.survey.id, "k": outcome.k, "suppressed": True, "total": None,
                "invited": outcome.invited, "groups": [], "questions": []}

    def bars(items):
        return [{"value": b.value, "label": b.label, "count": b.count} for b in items]

    return {
        "survey": outcome.survey.id, "k": outcome.k, "suppressed": False, "total": outcome.total,
        "invited": outcome.invited, "response_rate": outcome.rate,
        "sentiments": dict(outcome.sentiment_counts), "topics": dict(outcome.topic_counts),
        "groups": [{"unit": g.unit.code if g.unit else None, "name": g.unit.name if g.unit else kanon.REMAINDER_LABEL,
                    "count": g.count, "merged_units": g.merged_units} for g in outcome.groups],
        "questions": [{
            "key": q.question.key, "kind": q.question.kind.value, "text": q.question.text, "answered": q.answered,
            "bars": bars(q.bars), "average": q.average, "median": q.median, "nps": q.nps,
            "rows": [{"label": label, "bars": bars(row_bars), "average": average} for label, row_bars, average in q.rows],
            "texts": [{"text": t.text, "sentiment": t.sentiment, "topics": t.topics, "keyphrases": t.keyphrases}
                      for t in q.texts],
            "others": q.others,
        } for q in outcome.questions],
    }


@bp.route("/surveys/<int:survey_id>/results")
@token_required
def survey_results(survey_id: int):
    survey, failure = _survey_for(survey_id)
    if failure:
        return failure
    user = g.api_user
    if not user.has_role(Role.ADMIN, Role.AUTHOR, Role.UNIT_HEAD, Role.COMMITTEE_MEMBER, Role.INSPECTOR):
        return error(403, "forbidden", "Tài khoản này không có quyền xem kết quả.")
    filters = results.Filters()
    if request.args.get("unit"):
        unit = db.session.scalar(select(Unit).where(Unit.code == request.args["unit"]))
        if unit is None or not access.can_read_unit(user, unit):
            return error(403, "forbidden", "Đơn vị này nằm ngoài phạm vi của bạn.")
        filters.unit = unit
    outcome = results.compute(db.session, user, survey, filters, k=current_app.config["K_ANONYMITY"])
    return jsonify(_results_json(outcome))
