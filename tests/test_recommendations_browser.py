"""In a real browser: a unit head raises a recommendation from citizens' answers, forwards
and assigns it; it becomes overdue; it is answered; the answer shows on the public page."""

from datetime import timedelta

from factories import PASSWORD, make_survey, pick_unit, submit
from sqlalchemy import select, update

from surveys import org, tagging
from surveys.models import Recommendation, RecommendationStatus, Role, UnitKind
from surveys.timeutil import local_today


class _Plain:
    """Tags without loading models: the browser test is about the workflow, not the NLP."""

    version = "thu"

    def tag_many(self, texts):
        import nlp

        return [
            {
                "sentiment": "negative",
                "sentiment_confidence": 0.9,
                "sentiment_sure": True,
                "kind": "problem",
                "kind_confidence": 0.9,
                "kind_sure": True,
                "topics": [{"key": "infrastructure_transport", "confidence": 0.9}],
                "topic_sure": True,
                "keyphrases": ["đường"],
                "alerts": [],
                "redacted": nlp.redact(text),
                "no_diacritics": False,
            }
            for text in texts
        ]


def test_raise_forward_assign_overdue_answer_and_publish(page, browser, live_server, world, session):
    ward = org.create_unit(session, code="W7", name="Phường Bảy", kind=UnitKind.WARD, parent=world.A)
    survey = make_survey(session, owner=world.A, units=[ward], audience="citizens")
    texts = [
        "Đường tổ 5 ngập sâu mỗi khi mưa, gọi 0912 000 111",
        "Cống thoát nước bị tắc lâu ngày",
        "Đường ngập làm học sinh đi học khó khăn",
        "Mong sớm nạo vét cống",
        "Ngập nước gây mất vệ sinh",
    ]
    for text in texts:
        submit(session, survey, {"q1": "khong", "q3": text}, unit=ward)
    tagging.tag_pending(session, _Plain())

    page.goto("/login")
    page.fill("#login", world.users[Role.UNIT_HEAD].email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/surveys/{survey.id}/results")
    quotes = page.locator("#result-q3 .quotes li")
    assert quotes.count() == 5
    assert "0912" not in page.locator("#result-q3").inner_text()
    for index in (0, 1):
        quotes.nth(index).get_by_label("Chọn").check()
    page.get_by_role("button", name="Tạo kiến nghị từ các ý kiến đã chọn").click()
    page.get_by_text("Căn cứ: 2 ý kiến").wait_for()
    page.fill("#title", "Nạo vét cống, chống ngập đường tổ 5")
    page.fill("#content", "Người dân phản ánh đường tổ 5 ngập khi mưa do cống tắc.")
    pick_unit(page, "#owner_unit_id", "Sở A")
    page.get_by_role("button", name="Tiếp nhận").click()
    page.get_by_text("Đã tiếp nhận kiến nghị.").wait_for()
    session.commit()
    item = session.scalar(select(Recommendation))
    assert len(item.answers) == 2 and item.survey_id == survey.id

    page.get_by_text("Chuyển đơn vị có thẩm quyền", exact=True).first.click()
    forward = page.locator("form[action$='/forward']")
    pick_unit(forward, "select[name=unit_id]", "Phòng A1")
    forward.get_by_role("button", name="Chuyển đơn vị có thẩm quyền").click()
    page.get_by_text("Đã cập nhật kiến nghị.").wait_for()
    assign = page.locator("form[action$='/assign']")
    pick_unit(assign, "select[name=unit_id]", "Phòng A1")
    assign.locator("input[name=due]").fill((local_today() + timedelta(days=10)).isoformat())
    assign.get_by_role("button", name="Giao đơn vị giải quyết").click()
    page.get_by_text("Đã cập nhật kiến nghị.").wait_for()
    assert page.locator("#status").inner_text() == "Đã giao xử lý"

    # Eleven days pass: the deadline is behind us.
    session.commit()  # end the read snapshot before writing (SQLite)
    session.execute(update(Recommendation).values(reply_due=local_today() - timedelta(days=1)))
    session.commit()
    page.goto("/recommendations/?view=overdue")
    page.get_by_role("link", name="Nạo vét cống, chống ngập đường tổ 5").click()
    page.locator("#overdue").wait_for()
    page.goto("/dashboard")
    assert page.locator("#followups .number").first.inner_text() == "1"

    page.goto(f"/recommendations/{item.id}")
    page.get_by_text("Trả lời: đã giải quyết", exact=True).first.click()
    resolve = page.locator("form[action$='/resolve']")
    resolve.locator("textarea[name=note]").fill("Đã nạo vét 200 m cống, đường không còn ngập.")
    resolve.get_by_role("button", name="Trả lời: đã giải quyết").click()
    page.get_by_text("Đã cập nhật kiến nghị.").wait_for()
    history = page.locator("#history li")
    assert history.count() == 4 and "Người unit_head" in history.last.inner_text()
    session.commit()
    assert session.get(Recommendation, item.id).status == RecommendationStatus.RESOLVED

    citizen = browser.new_context(base_url=live_server, locale="vi-VN").new_page()
    citizen.goto(f"/surveys/{survey.id}/public")
    text = citizen.locator("main").inner_text()
    assert "Nạo vét cống, chống ngập đường tổ 5" in text
    assert "Đã nạo vét 200 m cống, đường không còn ngập." in text
    assert "0912" not in text and "tổ 5 ngập sâu" not in text, "no respondent's words or number"
    citizen.context.close()
