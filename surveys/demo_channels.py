"""Demo data of issue 11's channels: a voter-contact meeting in Phường Minh Xuân with the
opinions raised there; the Fatherland Front of the province and of the ward with an officer
who has sent the ward the voters' consolidated opinions; a quarter of scorecard data; a published
good example. Called by ``demo.load``."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import answering, examples, meetings, org, people, recommendations, scorecard
from .models import (
    Audience,
    Channel,
    Committee,
    ExampleKind,
    Recommendation,
    RecommendationKind,
    Role,
    SourceKind,
    Survey,
    SurveyState,
    Unit,
    UnitKind,
    User,
)
from .timeutil import local_today

VOTER_CONTACT_OPINIONS = [
    ("Đề nghị sớm nâng cấp đường tổ 12, mùa mưa ngập sâu, học sinh đi lại khó khăn.", None, "02215.KT"),
    ("Cử tri phản ánh cống thoát nước khu chợ bị tắc, gây mùi hôi.", None, "02215.KT"),
    ("Đề nghị tăng cường chiếu sáng công cộng ngõ 45 đường Minh Xuân.", "Ông Hoàng Văn Bình", "02215.KT"),
    ("Mong phường hướng dẫn thủ tục cấp giấy chứng nhận quyền sử dụng đất nhanh gọn hơn.", None, None),
    ("Cử tri ghi nhận bộ phận một cửa phường tiếp đón niềm nở, giải quyết đúng hẹn.", None, None),
    ("Đề nghị quan tâm khám sức khỏe định kỳ cho người cao tuổi tại trạm y tế.", None, "02215.VHXH"),
    ("Kiến nghị có sân chơi cho thiếu nhi trong khu dân cư tổ 8.", "Bà Lý Thị Hoa", "02215.VHXH"),
    ("Cử tri lo ngại tình trạng xe tải chở vật liệu chạy quá tốc độ qua khu dân cư.", None, None),
]


FRONT_OFFICER = "mttq.minhxuan@demo.gov.vn"
# (code, name, kind, parent code)
ORGANISATIONS = [
    ("08.MTTQ", "Ủy ban MTTQ Việt Nam tỉnh Tuyên Quang", UnitKind.FRONT_COMMITTEE, "08"),
    ("08.LDLD", "Liên đoàn Lao động tỉnh Tuyên Quang", UnitKind.TRADE_UNION, "08"),
    ("02215.MTTQ", "Ủy ban MTTQ Việt Nam phường Minh Xuân", UnitKind.FRONT_COMMITTEE, "02215"),
    ("02215.HPN", "Hội Liên hiệp Phụ nữ phường Minh Xuân", UnitKind.WOMEN_UNION, "02215"),
]


def load(session: Session, units: dict[str, Unit], password: str) -> None:
    _load_meeting(session, units)
    _load_front(session, units, password)
    answered = _load_quarter(session, units)
    _load_example(session, units, answered)


def _load_example(session: Session, units: dict[str, Unit], answered: dict[str, Recommendation]) -> None:
    """One published good example of Phường Minh Xuân, with the answered recommendation behind it."""
    member = session.scalar(select(User).where(User.email == "tinhuy@demo.gov.vn"))
    committee = session.scalar(select(Committee).where(Committee.code == "TU.08"))
    examples.record(
        session,
        title="Tổ 12 phường Minh Xuân: “Ngõ sáng, đường sạch” từ ý kiến cử tri",
        kind=ExampleKind.MODEL,
        description="Từ kiến nghị của cử tri tại buổi tiếp xúc, phường cùng Ủy ban MTTQ và Hội Liên hiệp Phụ nữ "
        "vận động nhân dân góp công lắp 40 bóng đèn chiếu sáng, nạo vét cống khu chợ.\n"
        "Kết quả được báo cáo lại với cử tri ở buổi tiếp xúc kế tiếp; người dân chấm điểm hài lòng 4/5.",
        unit=units["02215"],
        committee=committee,
        recommendations=[answered["02215"]],
        publish=True,
        actor=member,
        today=local_today(),
    )


# (unit code, days to answer or None for still open, days to deadline): the quarter's recommendations.
QUARTER = [
    ("02215", 3, 15),
    ("02215", 6, 15),
    ("02215", 9, 15),
    ("02215.KT", 12, 15),
    ("02212", 14, 15),
    ("02212", 25, 15),
    ("02212", None, 10),
    ("08.SNV", 5, 15),
    ("08.SNV.TCBC", 18, 15),
    ("08.SYT", 8, 15),
    ("08.SYT.BVDK", None, 5),
]
RATINGS = {"02215": [5, 4, 4, 5, 3, 4], "02212": [2, 3, 3, 4, 2]}
SIPAS_ROWS = ("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "gop_y")
# Each ward's citizens' SIPAS answers this quarter: one respondent's score on all five criteria.
SIPAS_SCORES = {"02215": [5, 4, 4, 5, 4, 3, 4], "02212": [3, 4, 2, 3, 4, 3]}


def _load_quarter(session: Session, units: dict[str, Unit]) -> dict[str, Recommendation]:
    """A quarter of scorecard data: recommendations answered fast and slow (and two still open),
    citizens' ratings of the answers, and SIPAS answers from the two wards."""
    today = local_today()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    actor = session.scalar(select(User).where(User.email == "bandanvan@demo.gov.vn"))
    answered: dict[str, Recommendation] = {}
    for number, (code, days, due_in) in enumerate(QUARTER):
        received = max(quarter_start, today - timedelta(days=40 - 2 * number))
        item = recommendations.create(
            session,
            title=f"Kiến nghị số {number + 1}/{today.year} gửi {units[code].name}",
            content="Kiến nghị của người dân, cán bộ được tiếp nhận trong quý.",
            kind=RecommendationKind.OPINION,
            source_kind=SourceKind.MEETING,
            owner_unit=units[code],
            actor=actor,
            today=received,
        )
        recommendations.act(session, item, "classify", actor, today=received)
        due = received + timedelta(days=due_in)
        recommendations.act(session, item, "assign", actor, unit=units[code], due=due, today=received)
        if days is not None:
            done = min(today, received + timedelta(days=days))
            recommendations.act(session, item, "resolve", actor, note="Đã giải quyết, trả lời người dân.", today=done)
            answered.setdefault(code, item)
    for code, scores in RATINGS.items():
        for number, score in enumerate(scores):
            scorecard.rate(session, answered[code], f"demo-bien-nhan-{code}-{number}", score, today)
    _load_sipas(session, units)
    return answered


def _load_sipas(session: Session, units: dict[str, Unit]) -> None:
    survey = session.scalar(
        select(Survey).where(Survey.audience == Audience.CITIZENS, Survey.state == SurveyState.OPEN)
    )
    for code, scores in SIPAS_SCORES.items():
        for number, score in enumerate(scores):
            answers = {
                "linh_vuc": "ho_tich",
                "kenh": "truc_tiep",
                "sipas": dict.fromkeys(SIPAS_ROWS, score),
                "dung_hen": "dung_hen",
                "nhung_nhieu": "khong",
                "hai_long_chung": score,
            }
            raw = answering.raw_from_json(survey.current_version, answers)
            key = f"demo-sipas-{code}-{number}"
            answering.submit_response(session, survey, raw, idempotency_key=key, unit=units[code])


def _load_front(session: Session, units: dict[str, Unit], password: str) -> None:
    """The Front and some organisations; the ward Front's officer sends the ward consolidated opinions."""
    for code, name, kind, parent in ORGANISATIONS:
        units[code] = org.create_unit(session, code=code, name=name, kind=kind, parent=units[parent])
    officer = people.create_user(
        session,
        full_name="Trần Thị Mặt",
        email=FRONT_OFFICER,
        phone=None,
        unit=units["02215.MTTQ"],
        position="Chủ tịch Ủy ban MTTQ Việt Nam phường Minh Xuân",
        password=password,
    )
    people.assign_role(session, officer, Role.FRONT_OFFICER, unit=units["02215.MTTQ"])
    people.assign_role(session, officer, Role.STAFF, unit=units["02215.MTTQ"])
    recommendations.create(
        session,
        title="Ý kiến, kiến nghị của cử tri tổ 12 về hạ tầng giao thông, thoát nước",
        content="Qua tiếp xúc cử tri, Ủy ban MTTQ phường tổng hợp: cử tri đề nghị nâng cấp đường tổ 12, "
        "nạo vét cống khu chợ và bổ sung chiếu sáng ngõ 45 trước mùa mưa.",
        kind=RecommendationKind.OPINION,
        source_kind=SourceKind.ORGANISATION,
        source_detail="Ủy ban MTTQ Việt Nam phường Minh Xuân",
        owner_unit=units["02215"],
        actor=officer,
        today=local_today() - timedelta(days=2),
    )


def _load_meeting(session: Session, units: dict[str, Unit]) -> None:
    ward = units["02215"]
    chair = session.scalar(select(User).where(User.email == "chutich.minhxuan@demo.gov.vn"))
    meeting = meetings.record_meeting(
        session,
        kind=Channel.VOTER_CONTACT,
        held_on=local_today() - timedelta(days=3),
        place="Nhà văn hóa tổ 12, phường Minh Xuân",
        chair="Chủ tịch UBND phường Minh Xuân",
        attendance=135,
        unit=ward,
        actor=chair,
        note="Tiếp xúc cử tri trước kỳ họp Hội đồng nhân dân phường.",
    )
    items = [
        meetings.OpinionInput(text, speaker=speaker, concerned_unit=units[code] if code else None)
        for text, speaker, code in VOTER_CONTACT_OPINIONS
    ]
    meetings.add_opinions(session, meeting, items, chair)
