"""Who may do what: the one permission policy.

Every permission is named once, in ``PERMISSIONS``: the roles that can hold it and, when it
is about one object, the check of that object's scope. Views, the API, templates (the
``can`` Jinja global) and the access-matrix test all ask ``can(user, name, obj)``; no role
list is written anywhere else. Administrators hold every permission, on every object unless
the permission says otherwise.

Scope: a unit head, author, inspector or staff member reads their unit and its sub-units;
a committee member reads the units their committee oversees (and the sub-units of those);
an administrator reads everything.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .models import Audience, Committee, Meeting, Recommendation, Role, Survey, Unit, User, WeeklySummary, survey_units
from .org import subtree_clause

# Roles held over a unit (and its sub-units); a committee member's scope is their committee's
# units, an administrator's everything.
UNIT_SCOPED_ROLES = frozenset({Role.AUTHOR, Role.UNIT_HEAD, Role.INSPECTOR, Role.STAFF, Role.FRONT_OFFICER})
# Officers of the Fatherland Front and the socio-political organisations: held over their
# organisation (a unit of ORGANISATION_KINDS), where they author and read like an author; the
# unit above it is the area they supervise (``area_roots``): its recommendations and replies.
FRONT_ROLES = frozenset({Role.FRONT_OFFICER})
READER_ROLES = frozenset({Role.UNIT_HEAD, Role.COMMITTEE_MEMBER, Role.INSPECTOR, Role.AUTHOR, Role.FRONT_OFFICER})
AUTHOR_ROLES = frozenset({Role.AUTHOR, Role.FRONT_OFFICER})
# Those who act on recommendations and correct tags; inspectors and committee members only read.
ACTING_ROLES = frozenset({Role.UNIT_HEAD, Role.AUTHOR})
# Those who raise recommendations and record what people said at meetings.
RAISING_ROLES = ACTING_ROLES | FRONT_ROLES


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def _signed_in(user: Any) -> bool:
    return user is not None and user.is_authenticated


# ---- unit scope ---------------------------------------------------------------------------------


def scope_roots(user: User, roles: frozenset[Role] = READER_ROLES) -> list[Unit]:
    """The units at the top of each subtree the user may read through the given roles."""
    roots: list[Unit] = []
    for assignment in user.roles:
        if assignment.role not in roles:
            continue
        if assignment.role == Role.COMMITTEE_MEMBER and assignment.committee is not None:
            roots.extend(assignment.committee.overseen_units)
        elif assignment.unit is not None:
            roots.append(assignment.unit)
    return roots


def area_roots(user: User) -> list[Unit]:
    """The areas an officer of the Front or an organisation supervises: the unit above their
    organisation (a commune, the province), or the organisation itself when it has none."""
    return [root.parent or root for root in scope_roots(user, FRONT_ROLES)]


def supervises(user: User) -> bool:
    """An officer of the Front or an organisation (who supervises an area)."""
    return _signed_in(user) and user.has_role(*FRONT_ROLES)


def supervises_unit(user: User, unit: Unit) -> bool:
    return any(unit.path.startswith(root.path) for root in area_roots(user))


def raising_units_clause(user: User):
    """The units a person may address a recommendation to: those they act for, and the area they supervise."""
    if is_admin(user):
        return Unit.id.is_not(None)
    return or_(readable_units_clause(user, ACTING_ROLES), subtree_clause(area_roots(user)))


def readable_units_clause(user: User, roles: frozenset[Role] = READER_ROLES):
    """A WHERE clause on ``Unit`` for the units this user may read; everything for an admin."""
    if is_admin(user):
        return Unit.id.is_not(None)
    return subtree_clause(scope_roots(user, roles))


def units_clause(user: User, permission: str):
    """A WHERE clause on ``Unit`` for the units where ``user`` holds ``permission``."""
    return readable_units_clause(user, PERMISSIONS[permission].roles or frozenset())


def readable_unit_ids(session: Session, user: User, roles: frozenset[Role] = READER_ROLES) -> set[int]:
    return set(session.scalars(select(Unit.id).where(readable_units_clause(user, roles))))


def can_read_unit(user: User, unit: Unit, roles: frozenset[Role] = READER_ROLES) -> bool:
    if is_admin(user):
        return True
    return any(unit.path.startswith(root.path) for root in scope_roots(user, roles))


# ---- surveys ------------------------------------------------------------------------------------


def _reads_survey(user: User, survey: Survey) -> bool:
    """Readers whose scope holds the owner unit, or overlaps the surveyed units."""
    roots = scope_roots(user)
    if any(survey.owner_unit.path.startswith(root.path) for root in roots):
        return True
    return any(u.path.startswith(r.path) or r.path.startswith(u.path) for u in survey.units for r in roots)


def _manages_survey(user: User, survey: Survey) -> bool:
    """Authors manage the surveys of units in their author scope."""
    return any(survey.owner_unit.path.startswith(root.path) for root in scope_roots(user, AUTHOR_ROLES))


def _reviews_survey(user: User, survey: Survey) -> bool:
    """Authors of the survey and unit heads who read it correct tags; committees and inspectors only read."""
    return _reads_survey(user, survey) and (_manages_survey(user, survey) or user.has_role(Role.UNIT_HEAD))


def _sees_followups(user: Any, survey: Survey) -> bool:
    """A citizens' survey's follow-up page is public; others are for people of the surveyed units and readers."""
    if survey.audience == Audience.CITIZENS:
        return True
    if not _signed_in(user):
        return False
    if can(user, "results.read", survey):
        return True
    unit = user.unit
    return unit is not None and any(unit.path.startswith(u.path) for u in survey.units)


def readable_surveys_clause(session: Session, user: User):
    """A WHERE clause on ``Survey`` for the surveys whose results ``user`` may read."""
    if is_admin(user):
        return Survey.id.is_not(None)
    unit_ids = readable_unit_ids(session, user)
    ancestors = {int(part) for root in scope_roots(user) for part in root.path.strip("/").split("/")}
    return or_(
        Survey.owner_unit_id.in_(unit_ids),
        Survey.id.in_(select(survey_units.c.survey_id).where(survey_units.c.unit_id.in_(unit_ids | ancestors))),
    )


# ---- recommendations and summaries --------------------------------------------------------------


def _recommendation_units(recommendation: Recommendation) -> list[Unit]:
    return [u for u in (recommendation.owner_unit, recommendation.handling_unit) if u is not None]


def _reads_recommendation(user: User, recommendation: Recommendation) -> bool:
    """Readers of the receiving or handling unit, and the Front and organisations supervising its area."""
    return any(can_read_unit(user, u) or supervises_unit(user, u) for u in _recommendation_units(recommendation))


def _acts_on_recommendation(user: User, recommendation: Recommendation) -> bool:
    """Unit heads and authors of the receiving or handling unit act."""
    return any(can_read_unit(user, unit, ACTING_ROLES) for unit in _recommendation_units(recommendation))


def readable_recommendations_clause(user: User):
    """Recommendations received by or handled in a unit of the reader's scope."""
    if is_admin(user):
        return Recommendation.id.is_not(None)
    units = select(Unit.id).where(or_(readable_units_clause(user), subtree_clause(area_roots(user))))
    return or_(Recommendation.owner_unit_id.in_(units), Recommendation.handling_unit_id.in_(units))


def _committee_ids(user: User) -> list[int]:
    return [a.committee_id for a in user.roles if a.role == Role.COMMITTEE_MEMBER and a.committee_id is not None]


def _reads_summary(user: User, summary: WeeklySummary) -> bool:
    """Unit summaries follow unit scope; a committee's summary is for its members."""
    if summary.committee_id is not None:
        return summary.committee_id in _committee_ids(user)
    return can_read_unit(user, summary.unit)


def _reads_committee(user: User, committee) -> bool:
    return committee.id in _committee_ids(user)


def readable_committees_clause(user: User):
    """A WHERE clause on ``Committee``: the committees whose scorecard ``user`` reads."""
    if is_admin(user):
        return Committee.id.is_not(None)
    return Committee.id.in_(_committee_ids(user))


def readable_summaries_clause(user: User):
    if is_admin(user):
        return WeeklySummary.id.is_not(None)
    units = select(Unit.id).where(readable_units_clause(user))
    return or_(WeeklySummary.unit_id.in_(units), WeeklySummary.committee_id.in_(_committee_ids(user)))


# ---- meetings -----------------------------------------------------------------------------------


def _reads_meeting(user: User, meeting: Meeting) -> bool:
    return can_read_unit(user, meeting.unit)


def _records_meeting(user: User, meeting: Meeting) -> bool:
    """Unit heads, authors and organisations' officers record their own meetings and the opinions heard."""
    return can_read_unit(user, meeting.unit, RAISING_ROLES)


def _records_example(user: User, example) -> bool:
    """Committee members record good examples of the units their committee oversees."""
    return can_read_unit(user, example.unit, frozenset({Role.COMMITTEE_MEMBER}))


def _sees_example(user: Any, example) -> bool:
    """A published example is public; one not yet published is for those who record it."""
    return example.published_on is not None or (_signed_in(user) and can(user, "examples.record", example))


def _owns(user: User, token) -> bool:
    return token.user_id == user.id


# ---- the policy ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Permission:
    roles: frozenset[Role] | None  # who can hold it besides administrators; None: anyone, even signed out
    applies_to: Callable[[Any, Any], bool] | None = None  # the check on one object: is it in the holder's scope
    admins_everywhere: bool = True  # False: administrators too only where ``applies_to`` says (their own things)


PERMISSIONS: dict[str, Permission] = {
    "admin": Permission(frozenset()),  # units, committees, people, the calendar, the audit log
    # People's requests about their data, the register of processing activities, the incident log.
    "privacy.manage": Permission(frozenset()),
    "units.read": Permission(READER_ROLES, can_read_unit),
    "surveys.create": Permission(AUTHOR_ROLES),
    "surveys.manage": Permission(AUTHOR_ROLES, _manages_survey),  # edit, publish, close, invite
    "results.read": Permission(READER_ROLES, _reads_survey),  # results, exports, the survey list
    "results.review": Permission(ACTING_ROLES, _reviews_survey),  # correct the NLP's tags
    "summaries.read": Permission(READER_ROLES, _reads_summary),
    "recommendations.read": Permission(READER_ROLES, _reads_recommendation),
    "recommendations.raise": Permission(RAISING_ROLES),  # to a unit of raising_units_clause
    "recommendations.act": Permission(ACTING_ROLES, _acts_on_recommendation),
    "meetings.read": Permission(READER_ROLES, _reads_meeting),  # meetings and desks, the opinions heard
    "meetings.record": Permission(RAISING_ROLES, _records_meeting),  # record one, add or import its opinions
    # The Front's and organisations' supervision: recommendations and replies in their area, read only.
    "supervision.read": Permission(FRONT_ROLES),
    # The responsiveness scorecard of a committee's units: for its members.
    "scorecard.read": Permission(frozenset({Role.COMMITTEE_MEMBER}), _reads_committee),
    "examples.record": Permission(frozenset({Role.COMMITTEE_MEMBER}), _records_example),
    "examples.public": Permission(None, _sees_example),  # "Dân vận khéo": the good examples published
    "followups.public": Permission(None, _sees_followups),  # "you said — we did" for one survey
    # One's own tokens, here; administrators revoke anyone's from the person's page in administration.
    "api_tokens.revoke": Permission(frozenset(Role), _owns, admins_everywhere=False),
}


def can(user: Any, name: str, obj: Any = None) -> bool:
    """Whether ``user`` (a signed-out visitor too) holds permission ``name``, on ``obj`` when given.

    Without ``obj`` the answer is whether the user can hold it at all (a menu entry, a route's gate)."""
    permission = PERMISSIONS[name]
    if _signed_in(user) and is_admin(user) and permission.admins_everywhere:
        return True
    if permission.roles is not None and not (_signed_in(user) and user.has_role(*permission.roles)):
        return False
    return obj is None or permission.applies_to is None or permission.applies_to(user, obj)


def holders(name: str) -> frozenset[Role]:
    """The roles that can hold ``name`` (the access-matrix test reads its expectations here)."""
    roles = PERMISSIONS[name].roles
    return frozenset(Role) if roles is None else frozenset({Role.ADMIN, *roles})
