"""People, their roles and their API tokens."""

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .org import Committee, Unit, enum_column


class Role(enum.StrEnum):
    ADMIN = "admin"  # quản trị hệ thống
    AUTHOR = "author"  # người soạn khảo sát, e.g. Ban Dân vận
    UNIT_HEAD = "unit_head"  # thủ trưởng cơ quan, đơn vị
    COMMITTEE_MEMBER = "committee_member"  # thành viên cấp ủy
    INSPECTOR = "inspector"  # Ban thanh tra nhân dân: read-only supervision
    STAFF = "staff"  # cán bộ, công chức, viên chức, người lao động
    # Cán bộ Mặt trận, đoàn thể: runs their organisation's surveys, raises and follows
    # recommendations, reads (never changes) those of the area their organisation supervises.
    FRONT_OFFICER = "front_officer"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(255))
    # Log-in is by e-mail or phone; both are optional but at least one is required (checked in operations).
    email: Mapped[str | None] = mapped_column(String(255), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    position: Mapped[str | None] = mapped_column(String(255))  # chức vụ
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Carried in every session and remember-me cookie; a new value (log-out, new password) ends them all.
    session_nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    unit: Mapped[Unit | None] = relationship()
    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RoleAssignment.id"
    )

    # The session-user protocol Flask-Login expects, written out so the domain does not import Flask.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        # What Flask-Login keeps in the session and the remember-me cookie: the nonce makes them revocable.
        return f"{self.id}:{self.session_nonce}"

    def has_role(self, *roles: Role) -> bool:
        return any(assignment.role in roles for assignment in self.roles)

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(assignment.role for assignment in self.roles)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.full_name!r}>"


class RoleAssignment(Base):
    """One role of one person, with the unit or committee it applies to."""

    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id", "committee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    committee_id: Mapped[int | None] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(back_populates="roles")
    unit: Mapped[Unit | None] = relationship()
    committee: Mapped[Committee | None] = relationship()


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored. Its use is kept by the day
    only (``last_used_on``), written at most once a day."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_on: Mapped[date | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
