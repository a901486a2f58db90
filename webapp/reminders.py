"""Reminder e-mails: to staff who have not answered a survey closing soon (once per survey and
person), and to unit heads about overdue or nearly due recommendations (at most daily)."""

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from surveys import mail, recommendations, reminders
from surveys.timeutil import local_today

from .i18n import mail_context


def queue_reminders(app: Flask, session: Session) -> int:
    queued = 0
    with mail_context(app):
        for survey, user in reminders.due(session, days_before_close=app.config["REMINDER_DAYS_BEFORE_CLOSE"]):
            link = url_for("answering.staff", survey_id=survey.id, _external=True)
            queued += mail.enqueue(
                session,
                dedupe_key=f"reminder:{survey.id}:{user.id}",
                to=user.email,
                user_id=user.id,
                subject=_("Nhắc trả lời khảo sát: %(title)s", title=survey.title),
                text=render_template("reminder_email.txt", survey=survey, user=user, link=link),
            )
    return queued


def queue_recommendation_reminders(app: Flask, session: Session) -> int:
    queued, today = 0, local_today()
    with mail_context(app):
        for item, head, reason in recommendations.heads_to_remind(session, today):
            link = url_for("followup.detail", recommendation_id=item.id, _external=True)
            subject = (
                _("Kiến nghị quá hạn: %(title)s", title=item.title)
                if reason == "overdue"
                else _("Kiến nghị sắp đến hạn: %(title)s", title=item.title)
            )
            # Overdue items are recalled every day until answered; a nearly due one once.
            key = f"recommendation:{reason}:{item.id}:{head.id}" + (
                f":{today.isoformat()}" if reason == "overdue" else ""
            )
            queued += mail.enqueue(
                session,
                dedupe_key=key,
                to=head.email,
                user_id=head.id,
                subject=subject,
                text=render_template("recommendation_email.txt", item=item, user=head, link=link, reason=reason),
            )
    return queued
