"""Who may read what: every reader sees only their scope.

A unit head, author, inspector or staff member reads their unit and its sub-units; a
committee member reads the units their committee oversees (and the sub-units of those);
an administrator reads everything. Every page and API call that shows unit-bound data
filters through ``readable_unit_ids`` or ``can_read_unit``.
"""
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Role, Unit, User
from .org import subtree_clause

READER_ROLES = frozenset({Role.UNIT_HEAD, Role.COMMITTEE_MEMBER, Role.INSPECTOR, Role.AUTHOR})


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


def is_admin(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def readable_units_clause(user: User, roles: frozenset[Role] = READER_ROLES):
    """A WHERE clause on ``Unit`` for the units this user may read; everything for an admin."""
    if is_admin(user):
        return Unit.id.is_not(None)
    return subtree_clause(scope_roots(user, roles))


def readable_unit_ids(session: Session, user: User, roles: frozenset[Role] = READER_ROLES) -> set[int]:
    return set(session.scalars(select(Unit.id).where(readable_units_clause(user, roles))))


def can_read_unit(user: User, unit: Unit, roles: frozenset[Role] = READER_ROLES) -> bool:
    if is_admin(user):
        return True
    return any(unit.path.startswith(root.path) for root in scope_roots(user, roles))
