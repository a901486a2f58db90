"""The app as served in production, plus a bare "hello" endpoint: the baseline that
bench/submit.py divides by, measured on the same gunicorn in the same run."""

from wsgi import app


@app.route("/_bench/hello")
def hello():
    return "hello"
