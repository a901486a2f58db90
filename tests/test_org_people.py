"""Organisation tree, committees, accounts and roles, at the domain level on the real database."""

import pytest
from sqlalchemy import select

from surveys import access, org, people
from surveys.errors import DomainError
from surveys.models import AuditEntry, Role, Unit, UnitKind


def test_subtree_paths_follow_moves(session, world):
    assert world.A1.path.startswith(world.A.path) and world.A.path.startswith(world.P.path)
    org.update_unit(session, world.A, name="Sở A mới", kind=UnitKind.AGENCY, parent=world.B, is_active=True, actor=None)
    session.commit()
    session.refresh(world.A1)
    assert world.A1.path == f"{world.P.path}{world.B.id}/{world.A.id}/{world.A1.id}/"
    assert org.subtree_ids(session, [world.B]) == {world.B.id, world.A.id, world.A1.id, world.AU.id}


def test_a_unit_cannot_move_under_its_own_subtree(session, world):
    with pytest.raises(DomainError):
        org.update_unit(
            session, world.A, name="Sở A", kind=UnitKind.AGENCY, parent=world.A1, is_active=True, actor=None
        )


def test_duplicate_unit_code_is_refused_case_insensitively(session, world):
    with pytest.raises(DomainError, match="đã tồn tại"):
        org.create_unit(session, code="a1", name="Trùng", kind=UnitKind.OTHER, parent=world.A)


def test_import_divisions_uses_the_official_list_and_is_idempotent(session):
    root = org.import_divisions(session, 8)
    session.commit()
    assert root.name == "Tỉnh Tuyên Quang" and root.code == "08"
    wards = session.scalars(select(Unit).where(Unit.parent_id == root.id)).all()
    assert len(wards) == 124  # two-level local government since 1 July 2025
    names = {w.name for w in wards}
    assert {"Phường Minh Xuân", "Xã Lâm Bình"} <= names
    assert next(w for w in wards if w.name == "Phường Minh Xuân").kind == UnitKind.WARD
    org.import_divisions(session, 8)
    session.commit()
    assert session.query(Unit).count() == 125


def test_scopes_of_each_role(session, world):
    readable = {role: access.readable_unit_ids(session, world.users[role]) for role in Role}
    everything = {world.P.id, world.A.id, world.A1.id, world.AU.id, world.B.id}
    assert readable[Role.ADMIN] == everything
    for role in (Role.UNIT_HEAD, Role.COMMITTEE_MEMBER, Role.INSPECTOR, Role.AUTHOR):
        assert readable[role] == {world.A.id, world.A1.id, world.AU.id}, role
    assert readable[Role.FRONT_OFFICER] == {world.AU.id}  # their organisation; A is the area they supervise
    assert readable[Role.STAFF] == set()  # respondents read no results
    assert access.can_read_unit(world.users[Role.UNIT_HEAD], world.A1)
    assert not access.can_read_unit(world.users[Role.UNIT_HEAD], world.B)
    assert not access.can_read_unit(world.users[Role.COMMITTEE_MEMBER], world.P)


def test_a_sibling_whose_path_shares_a_prefix_is_not_in_scope(session, world):
    # /1/2/ must not match /1/23/: paths end with a slash for exactly this reason.
    units = [
        org.create_unit(session, code=f"X{i}", name=f"Đơn vị {i}", kind=UnitKind.OTHER, parent=world.P)
        for i in range(25)
    ]
    session.commit()
    head = world.users[Role.UNIT_HEAD]
    assert not any(access.can_read_unit(head, u) for u in units)


@pytest.mark.parametrize(
    "raw,expected",
    [("0912 345 678", "0912345678"), ("+84 912.345.678", "0912345678"), ("84912345678", "0912345678"), ("", None)],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert people.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0912-345-67", "abcdefghij"])
def test_bad_phone_numbers_are_refused_in_vietnamese(raw):
    with pytest.raises(DomainError, match="Số điện thoại"):
        people.normalize_phone(raw)


def test_accounts_need_a_login_and_unique_contacts(session, world):
    with pytest.raises(DomainError, match="e-mail hoặc số điện thoại"):
        people.create_user(session, full_name="Không liên hệ", email=None, phone=None, unit=world.A)
    with pytest.raises(DomainError, match="đã được dùng"):
        people.create_user(session, full_name="Trùng", email="ADMIN@thu.vn", phone=None, unit=world.A)


def test_passwords_are_argon2_and_authentication_works_by_email_or_phone(session, world):
    user = people.create_user(
        session,
        full_name="Nguyễn Thị Hoà",
        email="hoa@thu.vn",
        phone="0901234567",
        unit=world.A,
        password="mot-mat-khau-dai",
    )
    session.commit()
    assert user.password_hash.startswith("$argon2id$")
    assert "mot-mat-khau-dai" not in user.password_hash
    assert people.authenticate(session, "hoa@thu.vn", "mot-mat-khau-dai") is user
    assert people.authenticate(session, "090 123 4567", "mot-mat-khau-dai") is user
    assert people.authenticate(session, "hoa@thu.vn", "sai-mat-khau") is None
    user.is_active = False
    assert people.authenticate(session, "hoa@thu.vn", "mot-mat-khau-dai") is None


def test_short_passwords_are_refused(session, world):
    with pytest.raises(DomainError, match="ít nhất"):
        people.set_password(session, world.users[Role.STAFF], "ngan", actor=None)


def test_names_are_stored_nfc(session, world):
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"  # "Nguyễn Văn An" typed with combining marks
    user = people.create_user(session, full_name=decomposed, email="an@thu.vn", phone=None, unit=world.A)
    assert user.full_name == "Nguyễn Văn An"


def test_role_changes_are_audited(session, world):
    admin = world.users[Role.ADMIN]
    staff = world.users[Role.STAFF]
    assignment = people.assign_role(session, staff, Role.INSPECTOR, unit=world.A1, actor=admin)
    people.revoke_role(session, staff, assignment, actor=admin)
    session.commit()
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == staff.id, AuditEntry.actor_id == admin.id)
    ).all()
    assert actions == ["user.assign_role", "user.revoke_role"]


def test_committee_member_role_needs_a_committee(session, world):
    with pytest.raises(DomainError, match="cấp ủy"):
        people.assign_role(session, world.users[Role.STAFF], Role.COMMITTEE_MEMBER)
