"""Operations on people: accounts, passwords, roles and staff-list import."""

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, tokens
from .access import UNIT_SCOPED_ROLES
from .errors import N_, DomainError
from .models import ORGANISATION_KINDS, ApiToken, Committee, Role, RoleAssignment, Unit, User, utcnow
from .text import check_readable, nfc

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verifying against this keeps the time of a log-in for an unknown account the same as for a known one.
_dummy_hash = _hasher.hash("not-a-real-password")


def configure_password_hashing(*, time_cost: int, memory_cost_kib: int) -> None:
    """Tune argon2 to the server (existing hashes are upgraded at their next log-in)."""
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib)
    _dummy_hash = _hasher.hash("not-a-real-password")


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

ROLE_LABELS = {
    Role.ADMIN: N_("Quản trị hệ thống"),
    Role.AUTHOR: N_("Người soạn khảo sát"),
    Role.UNIT_HEAD: N_("Thủ trưởng đơn vị"),
    Role.COMMITTEE_MEMBER: N_("Thành viên cấp ủy"),
    Role.INSPECTOR: N_("Ban thanh tra nhân dân"),
    Role.STAFF: N_("Cán bộ, công chức, viên chức, người lao động"),
    Role.FRONT_OFFICER: N_("Cán bộ Mặt trận, đoàn thể"),
}
# Words accepted in the role column of an imported staff list.
_ROLE_ALIASES = {
    **{role.value: role for role in Role},
    "quản trị": Role.ADMIN,
    "soạn khảo sát": Role.AUTHOR,
    "thủ trưởng": Role.UNIT_HEAD,
    "cấp ủy": Role.COMMITTEE_MEMBER,
    "thanh tra nhân dân": Role.INSPECTOR,
    "mặt trận": Role.FRONT_OFFICER,
    "đoàn thể": Role.FRONT_OFFICER,
    "cán bộ": Role.STAFF,
    "công chức": Role.STAFF,
    "viên chức": Role.STAFF,
    "người lao động": Role.STAFF,
    "": Role.STAFF,
}


def normalize_phone(raw: str | None) -> str | None:
    """Vietnamese mobile/landline numbers as 0xxxxxxxxx; None when empty; DomainError when invalid."""
    if raw is None or not raw.strip():
        return None
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d{9}", digits):
        raise DomainError(N_("Số điện thoại %(phone)s không hợp lệ (cần 10 chữ số, bắt đầu bằng 0)."), phone=raw)
    return digits


def normalize_email(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    email = nfc(raw).lower()
    if not _EMAIL.match(email):
        raise DomainError(N_("Địa chỉ e-mail %(email)s không hợp lệ."), email=raw)
    return email


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(N_("Mật khẩu cần ít nhất %(n)s ký tự."), n=MIN_PASSWORD_LENGTH)
    return _hasher.hash(password)


def find_by_login(session: Session, login: str) -> User | None:
    login = login.strip()
    if "@" in login:
        return session.scalar(select(User).where(User.email == login.lower()))
    try:
        phone = normalize_phone(login)
    except DomainError:
        return None
    return session.scalar(select(User).where(User.phone == phone)) if phone else None


def authenticate(session: Session, login: str, password: str) -> User | None:
    user = find_by_login(session, login)
    try:
        _hasher.verify(user.password_hash if user and user.password_hash else _dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.password_hash or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def _check_unique(session: Session, email: str | None, phone: str | None, exclude_id: int | None = None) -> None:
    if not email and not phone:
        raise DomainError(N_("Cần ít nhất e-mail hoặc số điện thoại để đăng nhập."))
    for column, value, message in (
        (User.email, email, N_("E-mail %(value)s đã được dùng cho tài khoản khác.")),
        (User.phone, phone, N_("Số điện thoại %(value)s đã được dùng cho tài khoản khác.")),
    ):
        if value and session.scalar(select(User.id).where(column == value, User.id != exclude_id)):
            raise DomainError(message, value=value)


def create_user(
    session: Session,
    *,
    full_name: str,
    email: str | None,
    phone: str | None,
    unit: Unit | None,
    password: str | None = None,
    position: str | None = None,
    actor: User | None = None,
) -> User:
    email, phone = normalize_email(email), normalize_phone(phone)
    _check_unique(session, email, phone)
    if not nfc(full_name):
        raise DomainError(N_("Cần nhập họ và tên."))
    user = User(
        full_name=nfc(full_name),
        email=email,
        phone=phone,
        unit=unit,
        position=nfc(position) or None,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", user, full_name=user.full_name, unit=unit.name if unit else None)
    return user


def update_user(
    session: Session,
    user: User,
    *,
    full_name: str,
    email: str | None,
    phone: str | None,
    unit: Unit | None,
    position: str | None,
    is_active: bool,
    actor: User | None,
) -> User:
    email, phone = normalize_email(email), normalize_phone(phone)
    _check_unique(session, email, phone, exclude_id=user.id)
    changes = audit.set_changed(
        user,
        {
            "full_name": nfc(full_name),
            "email": email,
            "phone": phone,
            "position": nfc(position) or None,
            "is_active": is_active,
        },
    )
    if user.unit_id != (unit.id if unit else None):
        changes["unit"] = [user.unit.name if user.unit else None, unit.name if unit else None]
        user.unit = unit
    if changes:
        audit.record(session, actor, "user.update", user, changes)
    return user


def set_password(session: Session, user: User, password: str, actor: User | None) -> None:
    """A new password ends every session and remember-me cookie issued under the old one."""
    user.password_hash = hash_password(password)
    end_sessions(user)
    audit.record(session, actor, "user.set_password", user)


RESET_VALID = timedelta(minutes=30)


def password_reset_code(user: User, now: datetime | None = None) -> str:
    """The code of a "forgot password" link: ``<id>.<issued, hex seconds>.<MAC>``. The MAC is keyed with
    the server secret over the current password hash and session nonce, so the link works for
    ``RESET_VALID`` and only once: setting the password (or logging out everywhere) spends it. Nothing is stored."""
    issued = int((now or utcnow()).timestamp())
    return f"{user.id}.{issued:x}.{_reset_mac(user, issued)}"


def user_for_reset_code(session: Session, code: str, now: datetime | None = None) -> User | None:
    """The active person a reset code was issued to, while it is still valid; None otherwise."""
    user_id, issued, mac = (code.split(".") + ["", ""])[:3]
    if not (user_id.isdigit() and len(user_id) < 19 and re.fullmatch(r"[0-9a-f]{1,12}", issued) and mac):
        return None
    issued_at, now_seconds = int(issued, 16), (now or utcnow()).timestamp()
    if not 0 <= now_seconds - issued_at <= RESET_VALID.total_seconds():
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.is_active or not secrets.compare_digest(mac, _reset_mac(user, issued_at)):
        return None
    return user


def _reset_mac(user: User, issued: int) -> str:
    return tokens.keyed_hash("password-reset", str(user.id), str(issued), user.password_hash or "", user.session_nonce)


def end_sessions(user: User) -> None:
    """Every session and remember-me cookie carries the nonce: a new one makes them all worthless."""
    user.session_nonce = secrets.token_hex(16)


def user_for_session(session: Session, session_id: str) -> User | None:
    """The active user a session or remember-me cookie names ("<id>:<nonce>"), if it is still valid."""
    user_id, _, nonce = session_id.partition(":")
    if not (user_id.isdigit() and len(user_id) < 19 and nonce):
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.is_active or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user


def account_key(user: User) -> str:
    return f"user:{user.id}"


def login_key(session: Session, login: str) -> str:
    """One name per account whichever way it is typed (e-mail or phone); the text itself otherwise."""
    user = find_by_login(session, login)
    return account_key(user) if user is not None else f"login:{nfc(login).strip().lower()[:100]}"


def assign_role(
    session: Session,
    user: User,
    role: Role,
    *,
    unit: Unit | None = None,
    committee: Committee | None = None,
    actor: User | None = None,
) -> RoleAssignment:
    if role == Role.COMMITTEE_MEMBER and committee is None:
        raise DomainError(N_("Vai trò thành viên cấp ủy cần chọn cấp ủy."))
    if role in UNIT_SCOPED_ROLES and unit is None:
        raise DomainError(N_("Vai trò này cần chọn đơn vị."))
    if role == Role.FRONT_OFFICER and unit.kind not in ORGANISATION_KINDS:
        raise DomainError(N_("Cán bộ Mặt trận, đoàn thể cần chọn đơn vị là một tổ chức (Ủy ban MTTQ, Công đoàn, …)."))
    unit = unit if role in UNIT_SCOPED_ROLES else None
    committee = committee if role == Role.COMMITTEE_MEMBER else None
    for existing in user.roles:
        if (existing.role, existing.unit_id, existing.committee_id) == (
            role,
            unit.id if unit else None,
            committee.id if committee else None,
        ):
            return existing
    assignment = RoleAssignment(role=role, unit=unit, committee=committee)
    user.roles.append(assignment)
    session.flush()
    audit.record(
        session,
        actor,
        "user.assign_role",
        user,
        role=role.value,
        unit=unit.name if unit else None,
        committee=committee.name if committee else None,
    )
    return assignment


def revoke_role(session: Session, user: User, assignment: RoleAssignment, actor: User | None) -> None:
    audit.record(
        session,
        actor,
        "user.revoke_role",
        user,
        role=assignment.role.value,
        unit=assignment.unit.name if assignment.unit else None,
        committee=assignment.committee.name if assignment.committee else None,
    )
    user.roles.remove(assignment)


# ---- staff-list import -------------------------------------------------------------------

_IMPORT_COLUMNS = {
    "full_name": ("ho_ten", "họ và tên", "họ tên", "full_name", "name"),
    "email": ("email", "e-mail", "thư điện tử"),
    "phone": ("dien_thoai", "điện thoại", "số điện thoại", "phone"),
    "unit_code": ("ma_don_vi", "mã đơn vị", "unit_code", "unit"),
    "role": ("vai_tro", "vai trò", "role"),
    "committee_code": ("ma_cap_uy", "mã cấp ủy", "committee_code"),
    "position": ("chuc_vu", "chức vụ", "position"),
}


@dataclass
class RowError:
    line: int
    message: str
    params: dict = field(default_factory=dict)


@dataclass
class ImportReport:
    created: list[User] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header_map(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        title = nfc(title).lower().lstrip("\ufeff")
        for name, aliases in _IMPORT_COLUMNS.items():
            if title in aliases:
                found[name] = index
    return found


# The csv module's own limit on a cell (131,072 characters): a longer one is not a staff list.
UNREADABLE_CSV = N_("Không đọc được tệp CSV: có ô dài quá giới hạn hoặc dấu ngoặc kép không đóng.")


# The longest column a staff list fills (name, e-mail, position) holds 255 characters.
MAX_CELL = 255


def _check_cell(cell: str) -> None:
    check_readable(cell)
    if len(cell) > MAX_CELL:
        raise DomainError(N_("Ô dài quá %(n)s ký tự."), n=MAX_CELL)


def _csv_rows(content: str) -> list[list[str]]:
    """The file's rows, whichever of comma, semicolon or tab separates its cells."""
    text = content.lstrip("\ufeff")
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t") if text.strip() else csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _header_errors(rows: list[list[str]], columns: dict[str, int]) -> list[RowError]:
    if not rows:
        return [RowError(0, N_("Tệp rỗng."))]
    missing = [name for name in ("full_name", "unit_code") if name not in columns]
    if missing or not ({"email", "phone"} & columns.keys()):
        return [RowError(1, N_("Dòng tiêu đề cần các cột: ho_ten, ma_don_vi và email hoặc dien_thoai."))]
    return []


@dataclass
class _StaffList:
    """What the rows of one import are checked against: the organisation, and the earlier rows."""

    units: dict[str, Unit]
    committees: dict[str, Committee]
    seen: dict[str, int] = field(default_factory=dict)  # e-mail or phone → the line it was on

    def check_unique(self, value: dict[str, str], line: int) -> None:
        for key in ("email", "phone"):
            if value.get(key):
                normalized = normalize_email(value[key]) if key == "email" else normalize_phone(value[key])
                if normalized in self.seen:
                    raise DomainError(N_("Trùng với dòng %(line)s trong tệp."), line=self.seen[normalized])
                self.seen[normalized] = line

    def placement(self, value: dict[str, str]) -> tuple[Unit, Role, Committee | None]:
        """The row's unit, role and (for a committee member) committee."""
        unit = self.units.get(value["unit_code"].upper())
        if unit is None:
            raise DomainError(N_("Không có đơn vị mã %(code)s."), code=value["unit_code"])
        role = _ROLE_ALIASES.get(nfc(value.get("role", "")).lower())
        if role is None:
            raise DomainError(N_("Vai trò %(role)s không hợp lệ."), role=value["role"])
        committee = None
        if role == Role.COMMITTEE_MEMBER:
            committee = self.committees.get(value.get("committee_code", "").upper())
            if committee is None:
                raise DomainError(N_("Vai trò cấp ủy cần mã cấp ủy hợp lệ ở cột ma_cap_uy."))
        return unit, role, committee


def _import_row(session: Session, staff: _StaffList, line: int, value: dict[str, str], actor: User | None) -> User:
    staff.check_unique(value, line)
    unit, role, committee = staff.placement(value)
    user = create_user(
        session,
        full_name=value["full_name"],
        email=value.get("email"),
        phone=value.get("phone"),
        unit=unit,
        position=value.get("position"),
        actor=actor,
    )
    assign_role(session, user, role, unit=unit, committee=committee, actor=actor)
    if role != Role.STAFF:
        assign_role(session, user, Role.STAFF, unit=unit, actor=actor)
    return user


def import_staff_csv(session: Session, content: str, actor: User | None) -> ImportReport:
    """Import a staff list; on any row error nothing is kept (the caller's transaction is rolled back here)."""
    try:
        rows = _csv_rows(content)
    except csv.Error:
        return ImportReport(errors=[RowError(0, UNREADABLE_CSV)])
    columns = _header_map(rows[0]) if rows else {}
    report = ImportReport(errors=_header_errors(rows, columns))
    if report.errors:
        return report
    staff = _StaffList(
        {u.code: u for u in session.scalars(select(Unit))}, {c.code: c for c in session.scalars(select(Committee))}
    )
    savepoint = session.begin_nested()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        value = {name: (row[i] if i < len(row) else "").strip() for name, i in columns.items()}
        try:
            for cell in row:
                _check_cell(cell)
            report.created.append(_import_row(session, staff, line, value, actor))
        except DomainError as error:
            report.errors.append(RowError(line, error.message, error.params))
    if report.errors:
        savepoint.rollback()
        report.created.clear()
    else:
        savepoint.commit()
        audit.record(session, actor, "user.import", None, rows=len(report.created))
    return report


def create_api_token(session: Session, user: User, name: str, actor: User | None = None) -> str:
    """A new bearer token for the JSON API; the token itself is returned once and never stored."""
    token = tokens.new_token(32)
    session.add(ApiToken(user=user, name=nfc(name) or "api", token_hash=tokens.hash_token(token)))
    audit.record(session, actor or user, "api_token.create", user, name=name)
    return token


def find_api_token(session: Session, token: str) -> ApiToken | None:
    """The unrevoked token of an active user, if ``token`` is one."""
    api_token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == tokens.hash_token(token), ApiToken.revoked_at.is_(None))
    )
    return api_token if api_token is not None and api_token.user.is_active else None


def record_token_use(api_token: ApiToken, today: date) -> bool:
    """Keep the day of use only; True when that changed (at most once a day), for the caller to commit."""
    if api_token.last_used_on == today:
        return False
    api_token.last_used_on = today
    return True


def api_tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def revoke_api_token(session: Session, api_token: ApiToken, actor: User | None) -> None:
    if api_token.revoked_at is not None:
        return
    api_token.revoked_at = utcnow()
    audit.record(session, actor, "api_token.revoke", api_token.user, token_id=api_token.id, name=api_token.name)
