"""The audit log reads as people speak: Vietnamese actions, names and links, before and after for
changed fields, filters by person, action and dd/mm/yyyy dates, pages, and a formula-safe CSV."""

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select, text

from surveys import audit, org, people, recommendations
from surveys.models import AuditEntry, RecommendationKind, Role, SourceKind, UnitKind
from webapp.labels import AUDIT_ACTION_LABELS

ROOT = Path(__file__).resolve().parent.parent


def test_every_recorded_action_has_a_vietnamese_name():
    """Each action the code records (literal, or a recommendation step) is named in the labels."""
    recorded = set()
    for source in [*ROOT.joinpath("surveys").rglob("*.py"), *ROOT.joinpath("webapp").rglob("*.py")]:
        for call in re.finditer(r"audit\.record\(\s*[^,]+,\s*[^,]+,\s*(f?)\"([\w.{}]+)\"", source.read_text("utf-8")):
            recorded.add(call.group(2))
        recorded.update(re.findall(r'action: str = "([\w.]+)"', source.read_text("utf-8")))
    steps = {f"recommendation.{step}" for step in [*recommendations.TRANSITIONS, "receive"]}
    recorded = {a for a in recorded if "{" not in a} | steps
    assert len(recorded) > 20 and recorded <= set(AUDIT_ACTION_LABELS), recorded - set(AUDIT_ACTION_LABELS)


def test_details_are_stored_as_readable_json(app, world, session):
    org.update_unit(
        session,
        world.A,
        name="Sở Nội vụ thử",
        kind=world.A.kind,
        parent=world.P,
        is_active=True,
        actor=world.users[Role.ADMIN],
    )
    session.commit()
    raw = session.scalar(text("SELECT CAST(details AS TEXT) FROM audit_log WHERE action = 'unit.update'"))
    assert "Sở Nội vụ thử" in raw and "\\u" not in raw


def _rename_and_resolve(world, session):
    admin, head = world.users[Role.ADMIN], world.users[Role.UNIT_HEAD]
    org.update_unit(
        session,
        world.A1,
        name="Phòng Tổ chức",
        kind=UnitKind.DEPARTMENT,
        parent=world.B,
        is_active=False,
        actor=admin,
        report={"signer_name": "Trần Thị Ký"},
    )
    people.assign_role(session, world.users[Role.STAFF], Role.INSPECTOR, unit=world.A, actor=admin)
    item = recommendations.create(
        session,
        title="Sửa máy tính",
        content="Máy cũ",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.MEETING,
        owner_unit=world.A,
        actor=head,
        today=date(2026, 11, 20),
    )
    recommendations.act(session, item, "classify", head, today=date(2026, 11, 20))
    session.commit()
    return item


def test_the_log_names_actions_people_objects_and_fields(app, world, session, client):
    item = _rename_and_resolve(world, session)
    world.login_as(client, Role.ADMIN)
    page = client.get("/admin/audit").get_data(as_text=True)
    for expected in (
        "Sửa đơn vị",
        "Thêm vai trò",
        "Tiếp nhận kiến nghị",
        "Kiến nghị: xác định thuộc thẩm quyền",
        "Đăng nhập",
        f'href="/admin/units/{world.A1.id}/edit">Phòng Tổ chức</a>',
        f'href="/recommendations/{item.id}">Sửa máy tính</a>',
        ">Người admin</a>",
        ">Người unit_head</a>",
        '<th scope="row">Tên</th><td>Phòng A1</td><td>Phòng Tổ chức</td>',
        '<th scope="row">Đơn vị cấp trên</th><td>Sở A</td><td>Sở B</td>',
        '<th scope="row">Đang hoạt động</th><td>Có</td><td>Không</td>',
        '<th scope="row">Người ký</th><td>—</td><td>Trần Thị Ký</td>',
        '<th scope="row">Trạng thái</th><td>Đã tiếp nhận</td><td>Thuộc thẩm quyền</td>',
        "<dt>Vai trò</dt><dd>Ban thanh tra nhân dân</dd>",
    ):
        assert expected in page, expected
    visible = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1])  # what a reader sees, without markup
    for raw in ("unit.update", "recommendation.", "User ", "{", "\\u", "parent", "None", "True"):
        assert raw not in visible, raw


def test_filters_by_person_action_and_dates(app, world, session, client):
    admin, head = world.users[Role.ADMIN], world.users[Role.UNIT_HEAD]
    for day, actor in ((1, admin), (10, head), (20, admin)):
        entry = audit.record(session, actor, "holiday.add", None, day=f"2026-11-{day:02d}", name=f"Ngày {day}")
        entry.occurred_at = datetime(2026, 11, day, 18, tzinfo=UTC)  # 01:00 the next day in Vietnam
    session.commit()
    world.login_as(client, Role.ADMIN)

    def names(**query) -> list[str]:
        page = client.get("/admin/audit", query_string=query).get_data(as_text=True)
        return re.findall(r"<dd>(Ngày \d+)</dd>", page)

    assert names(action="holiday.add") == ["Ngày 20", "Ngày 10", "Ngày 1"]
    assert names(action="holiday.add", actor_id=admin.id) == ["Ngày 20", "Ngày 1"]
    # 18:00 UTC is 01:00 the next day in Vietnam: the entries fall on 2/11, 11/11 and 21/11.
    assert names(action="holiday.add", since="11/11/2026") == ["Ngày 20", "Ngày 10"]
    assert names(action="holiday.add", since="02/11/2026", until="11/11/2026") == ["Ngày 10", "Ngày 1"]
    assert names(action="holiday.add", since="2026-11-03", until="20/11/2026") == ["Ngày 10"]
    assert names(action="holiday.add", until="01/11/2026") == []
    page = client.get(
        "/admin/audit", query_string={"since": "31/02/2026", "actor_id": "x", "until": "\x00" * 5000, "page": "9" * 40}
    ).get_data(as_text=True)
    assert "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy." in page and 'value="31/02/2026"' in page
    assert "Ngày 20" in page  # an unusable filter filters nothing
    for actor_id in ("²", "9" * 30, "-1"):
        assert client.get("/admin/audit", query_string={"actor_id": actor_id}).status_code == 200


def test_pages_of_fifty_keep_the_filters(app, world, session, client):
    for number in range(60):
        audit.record(session, None, "holiday.add", None, day="2026-12-01", name=f"Ngày số {number}")
    session.commit()
    world.login_as(client, Role.ADMIN)
    first = client.get("/admin/audit?action=holiday.add").get_data(as_text=True)
    assert first.count("<dd>Ngày số") == 50 and "Trang 1/2" in first
    assert 'href="/admin/audit?page=2&amp;action=holiday.add"' in first
    second = client.get("/admin/audit?action=holiday.add&page=2").get_data(as_text=True)
    assert second.count("<dd>Ngày số") == 10 and "Ngày số 0<" in second


def test_the_csv_export_is_filtered_vietnamese_and_formula_safe(app, world, session, client):
    org.create_unit(
        session,
        code="X",
        name='=HYPERLINK("http://x")',
        kind=UnitKind.OTHER,
        parent=world.P,
        actor=world.users[Role.ADMIN],
    )
    _rename_and_resolve(world, session)
    world.login_as(client, Role.ADMIN)
    client.post("/language/en")  # a document: Vietnamese whatever the reader chose
    response = client.get(
        "/admin/audit.csv", query_string={"action": "unit.create", "actor_id": world.users[Role.ADMIN].id}
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["Thời điểm", "Người thực hiện", "Thao tác", "Loại đối tượng", "Đối tượng", "Chi tiết"]
    assert [row[2] for row in rows[1:]] == ["Thêm đơn vị"]
    assert rows[1][1] == "Người admin" and rows[1][4].startswith("'=HYPERLINK")
    assert "Mã: X" in rows[1][5]
    everything = client.get("/admin/audit.csv").get_data(as_text=True)
    assert "Tên: Phòng A1 → Phòng Tổ chức" in everything and "Sửa đơn vị" in everything


def test_the_migration_names_old_entries_and_moves_their_changes(app, world, session):
    from flask_migrate import downgrade, upgrade

    from webapp.extensions import db

    unit_id = world.A.id
    session.commit()  # no snapshot of the old schema held across the migration
    with app.app_context():
        downgrade(revision="0008")
        with db.engine.begin() as connection:  # an entry as the log wrote them before 0009
            connection.execute(
                AuditEntry.__table__.insert().values(
                    occurred_at=datetime(2026, 11, 20, 3, tzinfo=UTC),
                    actor_id=None,
                    action="unit.update",
                    object_type="Unit",
                    object_id=unit_id,
                    details={"name": ["Sở Cũ", "Sở A"], "is_active": [1, 1]},
                )
            )
        upgrade()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "unit.update")).one()
    assert entry.object_label == "Sở A"
    assert entry.details == {"changes": {"name": ["Sở Cũ", "Sở A"], "is_active": [1, 1]}}
