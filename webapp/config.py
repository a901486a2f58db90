"""Configuration comes from the environment; defaults suit a laptop (SQLite under instance/)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from surveys.db import ENGINE_OPTIONS


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(instance_path) / 'app.db'}"
    # Accept the common spellings and use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment; on a single machine, a generated one kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _deadlines() -> dict:
    return {
        # Recommendations: a reply within 15 days, forwarding within 5 working days (configurable per deployment).
        "RECOMMENDATION_REPLY_DAYS": int(os.environ.get("RECOMMENDATION_REPLY_DAYS", "15")),
        "RECOMMENDATION_FORWARD_WORKING_DAYS": int(os.environ.get("RECOMMENDATION_FORWARD_WORKING_DAYS", "5")),
        # Hours to answer a person's request about their data (assumption: Decree 13/2023/NĐ-CP's 72 hours).
        "PRIVACY_REQUEST_HOURS": int(os.environ.get("PRIVACY_REQUEST_HOURS", "72")),
    }


def load(instance_path: str) -> dict:
    secure = _bool("SESSION_COOKIE_SECURE")
    return {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **ENGINE_OPTIONS},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(os.environ.get("SESSION_HOURS", "8"))),
        # A long survey page must not lose its answers to an expired token: tie CSRF to the session.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "BEHIND_PROXY": _bool("BEHIND_PROXY"),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "K_ANONYMITY": int(os.environ.get("K_ANONYMITY", "5")),
        # Failed log-ins: free ones per (account, address) before waiting, doubling from the first wait up to
        # the longest; and failures per address (any account) per window. Successful log-ins never count.
        "LOGIN_ATTEMPTS_PER_ACCOUNT": int(os.environ.get("LOGIN_ATTEMPTS_PER_ACCOUNT", "5")),
        "LOGIN_FIRST_WAIT": timedelta(seconds=int(os.environ.get("LOGIN_FIRST_WAIT_SECONDS", "30"))),
        "LOGIN_LONGEST_WAIT": timedelta(minutes=int(os.environ.get("LOGIN_LONGEST_WAIT_MINUTES", "60"))),
        "LOGIN_ATTEMPTS_PER_ADDRESS": int(os.environ.get("LOGIN_ATTEMPTS_PER_ADDRESS", "30")),
        "LOGIN_WINDOW": timedelta(minutes=int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))),
        # Public survey links: responses accepted per address per hour (abuse protection without third parties).
        "PUBLIC_SUBMITS_PER_HOUR": int(os.environ.get("PUBLIC_SUBMITS_PER_HOUR", "30")),
        # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
        "ARGON2_TIME_COST": int(os.environ.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST_KIB": int(os.environ.get("ARGON2_MEMORY_COST_KIB", "65536")),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # Outgoing mail; with no SMTP_HOST, messages wait in the outbox until one is set.
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS"),
        "SMTP_SSL": _bool("SMTP_SSL"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "no-reply@localhost"),
        # Weekly summary (Monday 07:00), NLP retraining on corrections (Sunday 02:00): crontab, Vietnam time.
        "SUMMARY_CRON": os.environ.get("SUMMARY_CRON", "0 7 * * mon"),
        "NLP_RETRAIN_CRON": os.environ.get("NLP_RETRAIN_CRON", "0 2 * * sun"),
        **_deadlines(),
        # Place name in the report's date line ("Tuyên Quang, ngày … tháng … năm …").
        "REPORT_PLACE": os.environ.get("REPORT_PLACE", "Tuyên Quang"),
        # Staff who have not answered get one reminder when a survey closes within this many days.
        "REMINDER_DAYS_BEFORE_CLOSE": int(os.environ.get("REMINDER_DAYS_BEFORE_CLOSE", "3")),
        "SCHEDULER_TICK_SECONDS": float(os.environ.get("SCHEDULER_TICK_SECONDS", "20")),
        # NLP: the shipped models unless a directory from `python -m nlp train --output` is given.
        "NLP_MODEL_DIR": os.environ.get("NLP_MODEL_DIR", ""),
        "NLP_TAXONOMY": os.environ.get("NLP_TAXONOMY", ""),
        "NLP_ANSWERS_PER_TICK": int(os.environ.get("NLP_ANSWERS_PER_TICK", "2000")),
        # A periodic run missed while everything was down still happens if it is at most this late.
        "SCHEDULER_MISFIRE_GRACE": timedelta(hours=float(os.environ.get("SCHEDULER_MISFIRE_GRACE_HOURS", "72"))),
    }
