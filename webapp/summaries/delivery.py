"""Running the weekly summaries and delivering them: the scheduler's Monday job and
``flask summaries run`` share this."""

from datetime import timedelta

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

import nlp
from surveys import mail, meetings, recommendations, summaries, tagging
from surveys.models import Committee, Unit
from surveys.timeutil import local_today

from ..i18n import mail_context
from ..nlp_tagger import get_tagger, taxonomy


def find_scopes(session: Session, code: str | None) -> list[summaries.Scope] | None:
    """All scopes, or the one whose unit or committee has ``code``."""
    if code is None:
        return None
    scopes = [
        s
        for s in summaries.all_scopes(session)
        if (s.unit and s.unit.code == code) or (s.committee and s.committee.code == code)
    ]
    if not scopes:
        unit = session.scalar(select(Unit).where(Unit.code == code))
        committee = session.scalar(select(Committee).where(Committee.code == code))
        if unit is not None:
            scopes = [summaries.Scope(f"unit:{unit.id}", unit.name, [unit], unit=unit)]
        elif committee is not None:
            scopes = [
                summaries.Scope(
                    f"committee:{committee.id}", committee.name, list(committee.overseen_units), committee=committee
                )
            ]
    return scopes


def run_summaries(
    app: Flask, session: Session, week: str, *, scope_code: str | None = None, send_mail: bool = True
) -> list:
    """Compute and store the week's summaries; queue one e-mail per reader (never twice)."""
    scopes = find_scopes(session, scope_code)
    if scopes == []:
        raise LookupError(scope_code)
    labels = {t.key: t.label for t in taxonomy(app).topics}
    tagger = get_tagger(app)
    tagging.tag_pending(session, tagger)  # summaries read the tags: bring them up to date first
    week_start, today = summaries.week_start(week), local_today()

    def add_followups_and_channels(scope: summaries.Scope, content: dict) -> None:
        content["followups"] = recommendations.followup_counts(session, scope.roots, week_start, today)
        end = week_start + timedelta(days=7)
        content["channels"] = meetings.channel_counts(session, scope.roots, week_start, end, app.config["K_ANONYMITY"])

    stored = summaries.run_week(
        session,
        week,
        k=app.config["K_ANONYMITY"],
        topic_labels=labels,
        scopes=scopes,
        extra=add_followups_and_channels,
        themes=lambda texts: nlp.find_emerging_themes(
            texts, tagger=tagger, n_themes=3, min_answers=app.config["K_ANONYMITY"]
        ),
    )
    if send_mail:
        for summary in stored:
            queue_summary_mail(app, session, summary)
    return stored


def queue_summary_mail(app: Flask, session: Session, summary) -> int:
    queued = 0
    with mail_context(app):
        link = url_for("summaries.show", summary_id=summary.id, _external=True)
        for reader in summaries.readers(session, summary):
            if not reader.email:
                continue
            subject = _(
                "Tóm tắt tâm tư, nguyện vọng tuần %(week)s — %(scope)s", week=summary.week, scope=summary.scope_name
            )
            context = dict(data=summary.data, reader=reader, link=link, scope_name=summary.scope_name, subject=subject)
            queued += mail.enqueue(
                session,
                dedupe_key=f"summary:{summary.scope_key}:{summary.week}:{reader.id}",
                to=reader.email,
                subject=subject,
                text=render_template("summaries/email.txt", **context),
                html=render_template("summaries/email.html", **context),
                user_id=reader.id,
            )
    return queued
