"""Weekly summaries: figures against hand counts, the k threshold, redacted quotes, the
DOCX and XLSX, e-mail through a real SMTP server, scope, and exactly once with two
scheduler processes racing."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from factories import make_staff, make_survey, run_scheduler_ticks, submit
from openpyxl import load_workbook
from sqlalchemy import func, select

import nlp
from surveys import people, summaries, tagging
from surveys.models import JobRun, OutboxEmail, PendingResponse, Role, WeeklySummary

WEEK = "2026-W47"  # Monday 16/11/2026 – Sunday 22/11/2026
IN_WEEK = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)
LAST_WEEK = IN_WEEK - timedelta(days=7)
LABELS = {t.key: t.label for t in nlp.load_taxonomy().topics}


class RuleTagger:
    """A transparent stand-in for the model, so the expected figures can be counted by hand."""

    version = "quy-tac-1"

    def tag_many(self, texts):
        return [self._tag(text, text.lower()) for text in texts]

    @staticmethod
    def _tag(text, lower):
        salary = "lương" in lower
        return {
            "sentiment": "negative" if "không" in lower else "positive",
            "sentiment_confidence": 0.9,
            "sentiment_sure": True,
            "kind": "problem" if "không" in lower else "praise",
            "kind_confidence": 0.9,
            "kind_sure": True,
            "topics": [{"key": "salary_benefits" if salary else "working_conditions", "confidence": 0.8}],
            "topic_sure": True,
            "keyphrases": ["lương"] if salary else ["máy tính"],
            "alerts": nlp.detect_alerts(text),
            "redacted": nlp.redact(text),
            "no_diacritics": False,
        }


ANSWERS_THIS_WEEK = [
    "Tiền lương không đủ sống, gọi tôi 0912 345 678 nếu cần.",
    "Tiền lương không tăng trong ba năm, rất khó khăn.",
    "Mức lương không tương xứng với khối lượng công việc.",
    "Lương được trả đúng hạn, tôi thấy yên tâm công tác.",
    "Chế độ lương thưởng cuối năm được công khai rõ ràng.",
    "Máy tính mới được trang bị, làm việc thuận lợi hơn.",
    "Đề nghị sửa máy tính vì có cán bộ đòi phong bì mới sửa nhanh, đó là tham nhũng vặt.",
]


@pytest.fixture
def week_of_answers(world, session):
    """Agency A (through A1): 7 answers this week, 5 last week. Agency B: 3 answers this week."""
    survey = make_survey(session, owner=world.P, units=[world.A, world.B])
    for person, text in zip(make_staff(session, world.A1, 7, "a"), ANSWERS_THIS_WEEK, strict=True):
        submit(session, survey, {"q1": "co", "q3": text}, respondent=person, now=IN_WEEK)
    for person in make_staff(session, world.A1, 5, "t"):
        submit(session, survey, {"q1": "khong", "q3": "Lương không đủ sống."}, respondent=person, now=LAST_WEEK)
    for person in make_staff(session, world.B, 3, "b"):
        submit(session, survey, {"q1": "co", "q3": "Lương không đủ."}, respondent=person, now=IN_WEEK)
    head_of_b = people.create_user(
        session, full_name="Trưởng B", email="truong.b@thu.vn", phone=None, unit=world.B, password="mat-khau-kiem-thu"
    )
    people.assign_role(session, head_of_b, Role.UNIT_HEAD, unit=world.B)
    session.commit()
    tagging.tag_pending(session, RuleTagger())
    return survey


def run(session, **kwargs):
    stored = summaries.run_week(session, WEEK, k=5, topic_labels=LABELS, **kwargs)
    session.commit()
    return {s.scope_key: s for s in stored}


def test_the_figures_match_hand_counts(app, world, session, week_of_answers):
    by_scope = run(session)
    a = by_scope[f"unit:{world.A.id}"].data
    assert a["period"] == ["16/11/2026", "22/11/2026"]
    assert (a["responses"], a["previous_responses"], a["suppressed"]) == (7, 5, False)
    assert [p["responses"] for p in a["trend"]] == [0] * 6 + [5, 7]
    # 12 staff made here plus the world's own staff member in A1; 7 took part this week.
    assert a["staff"] == 13 and a["participants"] == 7 and a["response_rate"] == round(7 / 13, 4)
    assert a["units"] == [
        {"name": "Phòng A1", "responses": 7, "merged_units": 0, "staff": 13, "rate": round(7 / 13, 4)}
    ]
    assert a["sentiment"]["negative"] == {"count": 3, "share": round(3 / 7, 4), "previous_share": 1.0}
    # Only salary (5) reaches k; working conditions (2) is not broken out.
    [salary] = a["topics"]
    assert (salary["key"], salary["count"], salary["negative"], salary["previous_count"]) == (
        "salary_benefits",
        5,
        3,
        5,
    )
    assert salary["negative_share"] == 0.6 and salary["previous_negative_share"] == 1.0 and salary["change"] == "same"
    assert "Tiền lương không đủ sống, gọi tôi [số điện thoại] nếu cần." in salary["quotes"]
    assert all("0912" not in quote for quote in salary["quotes"])
    assert a["alerts"]["categories"] == {"corruption": 1}
    assert a["alerts"]["negative_jumps"] == []
    assert any(quote.startswith("Đề nghị sửa máy tính") for quote in a["recommendations"])
    # The committee over A sees the same; B alone is below k and shows nothing but that fact.
    assert by_scope[f"committee:{world.C.id}"].data["topics"] == a["topics"]
    b = by_scope[f"unit:{world.B.id}"].data
    assert b["suppressed"] and b["responses"] == 3 and "topics" not in b and "units" not in b


def test_small_units_merge_into_their_parent_in_a_province_summary(app, world, session, week_of_answers):
    [province] = run(session, scopes=[summaries.Scope("unit:P", "Tỉnh", [world.P], unit=world.P)]).values()
    # A1's 7 stand alone; B's 3 cannot, and would show by subtraction, so A1 joins them.
    assert [(u["name"], u["responses"]) for u in province.data["units"]] == [("Các đơn vị khác (gộp)", 10)]


def test_a_rerun_replaces_the_summary(app, world, session, week_of_answers):
    first = {key: (summary.id, summary.data["responses"]) for key, summary in run(session).items()}
    unit_a = f"unit:{world.A.id}"
    assert first[unit_a][1] == 7
    # Two more answers come in for the same week; the run is repeated.
    for person in make_staff(session, world.A1, 2, "late"):
        submit(session, week_of_answers, {"q1": "co", "q3": "Cần thêm máy in."}, respondent=person, now=IN_WEEK)
    again = run(session)
    assert session.scalar(select(func.count()).select_from(WeeklySummary)) == len(first) == 3
    assert {key: summary.id for key, summary in again.items()} == {key: ids for key, (ids, _n) in first.items()}
    session.expire_all()
    stored = session.get(WeeklySummary, first[unit_a][0])
    assert stored.data["responses"] == 9 and stored.data["participants"] == 9
    assert [u["responses"] for u in stored.data["units"]] == [9]


def test_summaries_are_mailed_once_through_a_real_smtp_server(app, world, session, week_of_answers, smtp_server):
    from webapp.scheduler import send_queued_mail
    from webapp.summaries.delivery import queue_summary_mail

    for _ in range(2):  # the second run queues nothing new
        for summary in run(session).values():
            queue_summary_mail(app, session, summary)
        session.commit()
    with app.app_context():
        from webapp.extensions import db

        send_queued_mail(app, db.session)
    recipients = sorted(message["To"] for message in smtp_server.messages)
    assert recipients == sorted(["unit_head@thu.vn", "committee_member@thu.vn", "truong.b@thu.vn"])
    message = next(m for m in smtp_server.messages if m["To"] == "unit_head@thu.vn")
    assert message["Subject"] == "Tóm tắt tâm tư, nguyện vọng tuần 2026-W47 — Sở A"
    text = message.get_body(("plain",)).get_content()
    assert "Lượt trả lời: 7 (tuần trước: 5)." in text and "/summaries/" in text
    html = message.get_body(("html",)).get_content()
    assert "[số điện thoại]" in html and "0912" not in html


def test_the_report_documents(app, world, session, client, week_of_answers):
    summary = run(session)[f"unit:{world.A.id}"]
    world.login_as(client, Role.UNIT_HEAD)
    page = client.get(f"/summaries/{summary.id}").get_data(as_text=True)
    assert "Tiền lương" in page and "svg" in page
    response = client.get(f"/summaries/{summary.id}.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    paragraphs = [p.text for p in document.paragraphs]
    header = document.tables[0].rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text and "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert "SỞ A" in header[0].text
    for heading in (
        "I. TÌNH HÌNH CHUNG",
        "II. NHỮNG MẶT TÍCH CỰC",
        "III. NHỮNG VẤN ĐỀ ĐƯỢC QUAN TÂM, PHẢN ÁNH",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT",
        "V. NHỮNG VẤN ĐỀ CẦN LƯU Ý NGAY",
    ):
        assert heading in paragraphs
    assert "BÁO CÁO" in paragraphs and "tuần 47/2026 (từ 16/11 đến 22/11/2026)" in paragraphs[1]
    recipients, signature = document.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:" and "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in signature.text
    assert any("Trong tuần có 7 lượt trả lời" in p for p in paragraphs)
    assert {run.font.name for p in document.paragraphs for run in p.runs} == {"Times New Roman"}
    workbook = load_workbook(io.BytesIO(client.get(f"/summaries/{summary.id}.xlsx").data))
    assert workbook.sheetnames == ["Tổng quan", "Xu hướng 8 tuần", "Theo đơn vị", "Chủ đề"]
    assert [c.value for c in workbook["Chủ đề"][2][:4]] == [LABELS["salary_benefits"], 5, 5, 3]


def test_summaries_are_read_only_within_scope(app, world, session, client, week_of_answers):
    by_scope = run(session)
    a, b, c = (by_scope[key] for key in (f"unit:{world.A.id}", f"unit:{world.B.id}", f"committee:{world.C.id}"))
    world.login_as(client, Role.UNIT_HEAD)
    for summary, status in ((a, 200), (b, 403), (c, 403)):
        for suffix in ("", ".docx", ".xlsx"):
            assert client.get(f"/summaries/{summary.id}{suffix}").status_code == status, (summary.scope_key, suffix)
    archive = client.get("/summaries/").get_data(as_text=True)
    assert "Sở A" in archive and "Sở B" not in archive
    client.post("/logout")
    world.login_as(client, Role.COMMITTEE_MEMBER)
    assert client.get(f"/summaries/{c.id}").status_code == 200
    assert client.get(f"/summaries/{b.id}").status_code == 403


def test_two_scheduler_processes_run_the_monday_summary_once(
    app, world, session, week_of_answers, smtp_server, database_url
):
    # Monday 23/11/2026 07:00 has passed: the run for week 47 is due.
    run_scheduler_ticks(app, database_url, SUMMARY_CRON="0 7 23 11 *", SCHEDULER_MISFIRE_GRACE_HOURS=str(24 * 365 * 3))
    session.commit()
    runs = session.scalars(select(JobRun).where(JobRun.job == "weekly_summary")).all()
    assert [(r.run_key, r.status.value) for r in runs] == [(WEEK, "done")]
    assert session.scalar(select(func.count()).select_from(WeeklySummary).where(WeeklySummary.week == WEEK)) == 3
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        ["unit_head@thu.vn", "committee_member@thu.vn", "truong.b@thu.vn"]
    )
    assert session.scalar(select(func.count()).select_from(OutboxEmail).where(OutboxEmail.sent_at.is_(None))) == 0


def test_the_demo_week(app, session):
    """The weekly job on demo data: every demo answer counted once in the province committee's summary."""
    from surveys import demo
    from surveys.timeutil import iso_week_label, local_today

    demo.load(session)
    session.commit()
    tagging.tag_pending(session, RuleTagger())
    week = iso_week_label(local_today())
    stored = {s.scope_name: s.data for s in summaries.run_week(session, week, k=5, topic_labels=LABELS)}
    session.commit()
    province = stored["Tỉnh ủy Tuyên Quang"]
    # 36 staff answers, the 8 opinions of the voter-contact meeting, 13 citizens' SIPAS answers.
    # Less the 3 staff answers of Minh Xuân: fewer than k even at the top of the tree, they wait for release.
    assert province["responses"] == 54 and province["participants"] == 36
    assert session.scalar(select(func.count()).select_from(PendingResponse)) == 3
    health = stored["Đảng ủy Sở Y tế"]
    assert health["responses"] == 12, "the 12 staff of the provincial hospital"
    minh_xuan = stored["Đảng ủy phường Minh Xuân"]
    # 3 staff answers alone would be below k; with the ward's 8 meeting opinions and 7 SIPAS answers it is not.
    assert minh_xuan["responses"] == 15 and not minh_xuan["suppressed"], "its 3 staff answers wait for release"
