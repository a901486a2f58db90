"""The schema comes only from Alembic, and the models agree with it."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from surveys.models import Base
from webapp.extensions import db


def _diff(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def test_upgrade_from_empty_reaches_head_and_matches_models(app):
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        with db.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
            assert set(current) == set(script.get_heads())
            assert _diff(connection) == []


def test_downgrade_to_base_and_upgrade_again(app):
    with app.app_context():
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            assert _diff(connection) == []


def test_existing_rows_cross_the_security_migrations(app):
    """0010 marks mail already given up on as failed; 0011 gives every account a session nonce
    and keeps only the (Vietnamese) day a token was last used."""
    from sqlalchemy import text

    with app.app_context():
        downgrade(revision="0009")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO outbox_emails (id, dedupe_key, to_address, subject, body_text, created_at, send_after,"
                    " attempts, meta) VALUES (1, 'bo-cuoc', 'a@b.vn', 's', 't', :t, :t, 8, '{}'),"
                    " (2, 'con-thu', 'c@d.vn', 's', 't', :t, :t, 2, '{}')"
                ),
                {"t": "2026-11-20 01:00:00+00:00"},
            )
            connection.execute(
                text(
                    "INSERT INTO users (id, full_name, email, is_active, created_at) VALUES"
                    " (1, 'Một', 'mot@thu.vn', true, :t), (2, 'Hai', 'hai@thu.vn', true, :t)"
                ),
                {"t": "2026-11-20 01:00:00+00:00"},
            )
            connection.execute(
                text(
                    "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at) VALUES"
                    " (1, 1, 'x', 'h', :t, :used)"
                ),
                {"t": "2026-11-20 01:00:00+00:00", "used": "2026-11-20 18:30:00+00:00"},
            )
        upgrade()
        with db.engine.begin() as connection:
            failed = dict(connection.execute(text("SELECT dedupe_key, failed_at FROM outbox_emails")).all())
            nonces = [n for (n,) in connection.execute(text("SELECT session_nonce FROM users"))]
            used_on = connection.execute(text("SELECT last_used_on FROM api_tokens")).scalar_one()
            for table in ("api_tokens", "users", "outbox_emails"):
                connection.execute(text(f"DELETE FROM {table}"))
        assert failed["bo-cuoc"] is not None and failed["con-thu"] is None
        assert len(set(nonces)) == 2 and all(len(n) == 32 for n in nonces)
        assert str(used_on) == "2026-11-21"  # 18:30 UTC is 01:30 the next day in Vietnam
