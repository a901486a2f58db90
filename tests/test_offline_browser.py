"""In a real browser with the network switched off and on: a citizen's public link opens again
without a connection once loaded; an answer sent offline waits on the device, shown to the
respondent, and arrives once when the connection returns, however often it is sent."""

import json

from factories import make_survey
from sqlalchemy import func, select

from surveys import org
from surveys.models import PendingResponse, Response, UnitKind


def _responses(session, survey) -> int:
    session.commit()  # a fresh read of what the app committed
    # Stored = released or waiting for its batch (an anonymous answer is released with k others).
    return sum(
        session.scalar(select(func.count()).select_from(model).where(model.survey_id == survey.id))
        for model in (Response, PendingResponse)
    )


def test_a_citizen_answers_offline_and_the_answer_arrives_once(page, world, session):
    ward = org.create_unit(session, code="W", name="Phường Thử", kind=UnitKind.WARD, parent=world.P)
    survey = make_survey(session, owner=world.P, units=[ward], audience="citizens")
    link = f"/s/{survey.public_token}"
    page.goto(link)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(link)  # now through the service worker, which keeps a copy
    page.context.set_offline(True)
    page.goto(link)
    assert page.locator("h1").inner_text() == survey.title  # opens without a connection
    page.context.set_offline(False)

    page.goto(link)
    page.get_by_role("button", name="Bắt đầu").click()
    page.get_by_label("Không", exact=True).check()
    page.context.set_offline(True)
    page.fill("[name=q_q3]", "Đề nghị sửa đèn đường ngõ 5")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    outbox = page.locator("#offline-outbox")
    outbox.get_by_text("câu trả lời đã được lưu trên thiết bị này").wait_for()
    assert survey.title in outbox.inner_text()  # the respondent sees what waits
    assert _responses(session, survey) == 0

    page.context.set_offline(False)
    outbox.get_by_text("Đã gửi câu trả lời lưu trên thiết bị").wait_for()
    assert _responses(session, survey) == 1
    assert page.evaluate("localStorage.getItem('lang-nghe-outbox')") == "[]"

    # The same answer sent again (a second tab, a retry) is stored once: the same idempotency key.
    page.goto(link)
    page.get_by_role("button", name="Bắt đầu").click()
    page.get_by_label("Không", exact=True).check()
    key = page.input_value("[name=idempotency_key]")
    page.context.set_offline(True)
    page.get_by_role("button", name="Gửi câu trả lời").click()
    outbox.get_by_text("câu trả lời đã được lưu trên thiết bị này").wait_for()
    waiting = json.loads(page.evaluate("localStorage.getItem('lang-nghe-outbox')"))
    assert [item["key"] for item in waiting] == [key]
    page.evaluate("items => localStorage.setItem('lang-nghe-outbox', JSON.stringify(items.concat(items)))", waiting)
    page.context.set_offline(False)
    outbox.get_by_text("Đã gửi câu trả lời lưu trên thiết bị").wait_for()
    assert _responses(session, survey) == 2  # the second answer once, though it was queued twice
