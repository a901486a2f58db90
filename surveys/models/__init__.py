from .base import Base, utcnow
from .org import ADMINISTRATIVE_KINDS, RESIDENTIAL_KINDS, Committee, CommitteeKind, Unit, UnitKind, committee_units
from .people import UNIT_SCOPED_ROLES, ApiToken, Role, RoleAssignment, User
from .system import AuditEntry, RateLimitBucket

__all__ = [
    "ADMINISTRATIVE_KINDS",
    "RESIDENTIAL_KINDS",
    "UNIT_SCOPED_ROLES",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Committee",
    "CommitteeKind",
    "RateLimitBucket",
    "Role",
    "RoleAssignment",
    "Unit",
    "UnitKind",
    "User",
    "committee_units",
    "utcnow",
]
