"""Factories for what tests build: units, people, the small organisation most tests use,
surveys and responses. Each goes through the domain's own operations, as the app does, and
commits (a test's session is another process's connection: the app sees only what is committed)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import select

from surveys import answering, authoring, definitions, org, people, privacy, release, summaries, tagging
from surveys.models import Anonymity, Audience, CommitteeKind, PendingResponse, Response, Role, Unit, UnitKind, User
from surveys.timeutil import local_today

PASSWORD = "mat-khau-kiem-thu"

STANDARD_QUESTIONS = [
    {
        "key": "q1",
        "kind": "single",
        "text": "Anh/chị có hài lòng với công việc hiện tại?",
        "required": True,
        "choices": [{"value": "co", "label": "Có"}, {"value": "khong", "label": "Không"}],
    },
    {"key": "q2", "kind": "rating", "text": "Chấm điểm môi trường làm việc"},
    {"key": "q3", "kind": "long_text", "text": "Tâm tư, nguyện vọng của anh/chị"},
]


def login(client, login: str, password: str):
    return client.post("/login", data={"login": login, "password": password})


def pick_unit(scope, select: str, name: str, search: str | None = None) -> None:
    """Choose a unit in the unit picker that enhances the drop-down ``select`` (a CSS selector within
    ``scope``, a page or a locator): search for ``search`` (its name unless given), then tick it."""
    picker = scope.locator(f"{select} + .unit-picker")
    picker.locator("input[type=search]").fill(search or name)
    picker.get_by_label(name, exact=True).check()


# ---- units and people ---------------------------------------------------------------------------


def make_unit(session, code: str, name: str, kind: UnitKind = UnitKind.OTHER, parent: Unit | None = None) -> Unit:
    unit = org.create_unit(session, code=code, name=name, kind=kind, parent=parent)
    session.commit()
    return unit


def make_person(session, email: str, role: Role = Role.STAFF, *, unit: Unit | None, committee=None, name=None) -> User:
    """An account (password ``PASSWORD``) holding ``role`` over ``unit`` (or ``committee``); a member of ``unit``."""
    user = people.create_user(
        session, full_name=name or f"Người {email.split('@')[0]}", email=email, phone=None, unit=unit, password=PASSWORD
    )
    people.assign_role(session, user, role, unit=None if committee else unit, committee=committee)
    session.commit()
    return user


def make_staff(session, unit: Unit, count: int, prefix: str = "cb") -> list[User]:
    """``count`` staff of ``unit``: prefix0@thu.vn, prefix1@thu.vn, …"""
    return [
        make_person(session, f"{prefix}{number}@thu.vn", unit=unit, name=f"Cán bộ {prefix}{number}")
        for number in range(count)
    ]


class World:
    """Province P with agencies A (and its department A1, its trade union AU) and B; committee C
    oversees A; one account per role, each scoped to A (or its committee; the Front's officer to AU,
    supervising A)."""

    def __init__(self, session):
        self.P = make_unit(session, "P", "Tỉnh Thử", UnitKind.PROVINCE)
        self.A = make_unit(session, "A", "Sở A", UnitKind.AGENCY, self.P)
        self.A1 = make_unit(session, "A1", "Phòng A1", UnitKind.DEPARTMENT, self.A)
        self.AU = make_unit(session, "AU", "Công đoàn Sở A", UnitKind.TRADE_UNION, self.A)
        self.B = make_unit(session, "B", "Sở B", UnitKind.AGENCY, self.P)
        self.C = org.create_committee(
            session, code="C", name="Đảng ủy Sở A", kind=CommitteeKind.PARTY_COMMITTEE, unit=self.A, overseen=[self.A]
        )
        scopes = {Role.STAFF: self.A1, Role.ADMIN: None, Role.COMMITTEE_MEMBER: None, Role.FRONT_OFFICER: self.AU}
        self.users = {
            role: make_person(
                session,
                f"{role.value}@thu.vn",
                role,
                unit=scopes.get(role, self.A) or self.A,
                committee=self.C if role == Role.COMMITTEE_MEMBER else None,
                name=f"Người {role.value}",
            )
            for role in Role
        }

    def login_as(self, client, role):
        response = login(client, self.users[role].email, PASSWORD)
        assert response.status_code == 302, response.data
        return client


# ---- surveys and responses ----------------------------------------------------------------------


def make_survey(
    session,
    *,
    owner,
    units,
    audience="staff",
    anonymity="anonymous",
    author=None,
    questions=None,
    publish=True,
    **settings,
):
    """A survey with the standard three questions, open unless ``publish`` is False."""
    survey = authoring.create_survey(
        session,
        title=settings.pop("title", "Khảo sát tâm tư, nguyện vọng"),
        audience=Audience(audience),
        anonymity=Anonymity(anonymity),
        owner_unit=owner,
        units=units,
        author=author,
        questions=STANDARD_QUESTIONS if questions is None else questions,
        **settings,
    )
    if publish:
        authoring.publish(session, survey, author)
    session.commit()
    return survey


def submit(
    session,
    survey,
    answers: dict,
    *,
    respondent=None,
    unit=None,
    invitation=None,
    key=None,
    now=None,
    consent=True,
    released=True,
):
    """A response submitted through the domain, as the web and the API do; ``consent``: the
    respondent agrees to the survey's privacy notice (when it has one). An anonymous one is then
    released at once in a batch of its own (a shortcut for tests that read results: the app waits for
    k); ``released=False`` leaves it waiting, as the app does. Returns the response."""
    raw = answering.raw_from_json(survey.current_version, answers)
    response, _created = answering.submit_response(
        session,
        survey,
        raw,
        idempotency_key=key or uuid.uuid4().hex,
        respondent=respondent,
        unit=unit,
        invitation=invitation,
        now=now,
        consent=privacy.notice_hash(survey) if consent else None,
    )
    if isinstance(response, PendingResponse) and released:
        receipt = response.receipt
        batch = release.release_cell(session, survey, response.unit_id, [response], local_today(now))
        response = session.scalars(select(Response).where(Response.batch_id == batch.id)).one()
        response.receipt = receipt
    session.commit()
    return response


# What staff write in the shipped aspirations survey, with the tags a reviewer gave it (sentiment, kind, topic).
ASPIRATIONS = [
    ("Lương thấp so với khối lượng công việc, mong được tăng phụ cấp.", "negative", "request", "salary_benefits"),
    ("Máy tính ở phòng đã cũ, thường xuyên treo máy.", "negative", "problem", "working_conditions"),
    ("Lãnh đạo lắng nghe, dân chủ, công khai minh bạch.", "positive", "praise", "leadership_democracy"),
    ("Đề nghị mở thêm lớp bồi dưỡng chuyển đổi số.", "neutral", "request", "training_career"),
]


def make_aspirations_survey(session, world, *, count: int = 12, tagged: bool = True, anonymity: str = "anonymous"):
    """The shipped staff aspirations survey (three pages, keys such as ``vi_tri``, ``hai_long_chung``)
    for agency A, answered by ``count`` staff of A1, each answer to ``tam_tu`` tagged by a reviewer."""
    author = world.users[Role.AUTHOR]
    definition = definitions.library()["staff_aspirations"] | {"anonymity": anonymity}
    survey = authoring.create_from_definition(session, definition, owner_unit=world.A, author=author, units=[world.A])
    authoring.publish(session, survey, author)
    session.commit()
    for number, person in enumerate(make_staff(session, world.A1, count, prefix=f"tt{survey.id}-")):
        text, sentiment, kind, topic = ASPIRATIONS[number % len(ASPIRATIONS)]
        answers = {
            "vi_tri": ["cong_chuc", "vien_chuc", "nguoi_lao_dong"][number % 3],
            "hai_long_chung": 2 + number % 4,
            "danh_gia": dict.fromkeys(("thu_nhap", "dieu_kien", "dao_tao", "dan_chu", "khoi_luong", "quan_he"), 3),
            "van_de": [["luong", "nha_o"], ["dao_tao"]][number % 2],
            "co_y_dinh_nghi": "khong",
            "tam_tu": text,
        }
        response = submit(session, survey, answers, respondent=person)
        if tagged:
            [answer] = [a for a in response.answers if a.text == text]
            tagging.correct(
                session, answer, sentiment=sentiment, kind=kind, topics=[topic], reviewer=author, known_topics=[topic]
            )
    session.commit()
    return survey


def release_all(session, k: int = 5) -> int:
    """Release every anonymous answer that may be released, whatever it has waited (batches still ≥ k)."""
    return release.release_batches(session, k=k, force=True)


def make_unit_summary(session, unit: Unit, week: str):
    """The weekly summary of ``unit`` (and its sub-units) for ``week``, stored."""
    [summary] = summaries.run_week(
        session, week, k=5, topic_labels={}, scopes=[summaries.Scope(f"unit:{unit.code}", unit.name, [unit], unit=unit)]
    )
    session.commit()
    return summary


# ---- other processes ----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def run_scheduler_ticks(app, database_url: str, *, processes: int = 2, timeout: int = 300, **settings: str):
    """``processes`` scheduler processes each running one tick at once against the test database,
    with the app's instance and SMTP settings (and ``settings`` as environment); their outputs."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        INSTANCE_PATH=app.instance_path,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(app.config["SMTP_PORT"]),
        **settings,
    )
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "tick"]
    running = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    outputs = [process.communicate(timeout=timeout) for process in running]
    assert all(process.returncode == 0 for process in running), outputs
    return outputs
