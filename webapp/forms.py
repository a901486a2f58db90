"""Forms shared by several blueprints."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """CSRF-only form for buttons that POST."""
