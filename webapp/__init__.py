"""The Flask application factory."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import nlp
from surveys import people, tokens
from surveys.db import configure_engine

from . import boundary, config, i18n, security
from .extensions import csrf, db, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH", str(PROJECT_ROOT / "instance")))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config.load(app.instance_path))
    app.config.update(overrides or {})
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    _init_extensions(app)
    _register_blueprints(app)

    from .cli import register as register_cli

    register_cli(app)
    _template_globals(app)
    return app


def _init_extensions(app: Flask) -> None:
    people.configure_password_hashing(
        time_cost=app.config["ARGON2_TIME_COST"], memory_cost_kib=app.config["ARGON2_MEMORY_COST_KIB"]
    )
    tokens.configure_server_secret(app.config["SECRET_KEY"])
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    boundary.init_app(app)
    with app.app_context():
        configure_engine(db.engine)


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .answering import bp as answering_bp
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .authoring import bp as authoring_bp
    from .examples import bp as examples_bp
    from .followup import bp as followup_bp
    from .main import bp as main_bp
    from .meetings import bp as meetings_bp
    from .offline import bp as offline_bp
    from .privacy import bp as privacy_bp
    from .results import bp as results_bp
    from .scorecard import bp as scorecard_bp
    from .summaries import bp as summaries_bp
    from .supervision import bp as supervision_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(authoring_bp, url_prefix="/surveys")
    app.register_blueprint(results_bp, url_prefix="/surveys")
    app.register_blueprint(summaries_bp, url_prefix="/summaries")
    app.register_blueprint(answering_bp)
    app.register_blueprint(followup_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(supervision_bp)
    app.register_blueprint(scorecard_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(examples_bp)
    app.register_blueprint(api_bp, url_prefix=boundary.API_PREFIX)
    csrf.exempt(api_bp)  # token-authenticated, no cookies


def _template_globals(app: Flask) -> None:
    """The domain's labels (Vietnamese msgids, translated where shown) for every template."""
    from surveys.meetings import CHANNEL_LABELS
    from surveys.people import ROLE_LABELS
    from surveys.reports import ALERT_LABELS

    from . import labels

    app.jinja_env.globals.update(
        role_labels=ROLE_LABELS,
        unit_kind_labels=labels.UNIT_KIND_LABELS,
        committee_kind_labels=labels.COMMITTEE_KIND_LABELS,
        audience_labels=labels.AUDIENCE_LABELS,
        anonymity_labels=labels.ANONYMITY_LABELS,
        anonymity_promises=labels.ANONYMITY_PROMISES,
        survey_state_labels=labels.SURVEY_STATE_LABELS,
        recurrence_labels=labels.RECURRENCE_LABELS,
        question_kind_labels=labels.QUESTION_KIND_LABELS,
        sentiment_labels=labels.SENTIMENT_LABELS,
        answer_kind_labels=labels.ANSWER_KIND_LABELS,
        shown_sentiment_labels=labels.SHOWN_SENTIMENT_LABELS,
        shown_kind_labels=labels.SHOWN_KIND_LABELS,
        alert_labels=ALERT_LABELS,
        recommendation_kind_labels=labels.RECOMMENDATION_KIND_LABELS,
        recommendation_status_labels=labels.RECOMMENDATION_STATUS_LABELS,
        source_kind_labels=labels.SOURCE_KIND_LABELS,
        channel_labels=CHANNEL_LABELS,
        action_labels=labels.ACTION_LABELS,
        request_kind_labels=labels.REQUEST_KIND_LABELS,
        request_status_labels=labels.REQUEST_STATUS_LABELS,
        redact=nlp.redact,
        address=labels.address,
        promise=labels.promise,
    )
