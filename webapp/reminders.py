"""Reminder e-mails to staff who have not answered a survey closing soon (one per survey and person)."""
from flask import Flask, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from surveys import mail, reminders


def queue_reminders(app: Flask, session: Session) -> int:
    queued = 0
    with app.test_request_context("/", base_url=app.config["BASE_URL"]), force_locale("vi"):
        for survey, user in reminders.due(session, days_before_close=app.config["REMINDER_DAYS_BEFORE_CLOSE"]):
            link = url_for("answering.staff", survey_id=survey.id, _external=True)
            queued += mail.enqueue(
                session, dedupe_key=f"reminder:{survey.id}:{user.id}", to=user.email, user_id=user.id,
                subject=_("Nhắc trả lời khảo sát: %(title)s", title=survey.title),
                text=render_template("reminder_email.txt", survey=survey, user=user, link=link))
    return queued
