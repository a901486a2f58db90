"""Concurrent submissions against gunicorn on localhost.

    .venv/bin/python bench/submit.py [--requests 2000] [--concurrency 16] [--workers 4]

Uses a fresh SQLite file (or, when DATABASE_URL is set, a fresh database on that
PostgreSQL server, dropped afterwards), an anonymous staff survey and the JSON API (which takes
answers for staff surveys only), with one staff member and API token per submission, since
each person answers once. One in ten submissions is sent twice with the same Idempotency-Key,
as a retrying client would. Prints accepted responses and rows stored (they must be equal),
p50/p95 latency, and throughput as a ratio to a bare Flask "hello" endpoint served by
the same gunicorn in the same run.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import Database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(env: dict, staff: int) -> tuple[int, list[str]]:
    """Create a unit, an open anonymous staff survey and ``staff`` staff members, each with an API
    token (a person answers once), in the (migrated) database; returns the survey and the tokens."""
    script = f"""
import json
from webapp import create_app
from webapp.extensions import db
from surveys import authoring, org, people
from surveys.models import Anonymity, Audience, Role, UnitKind
app = create_app()
with app.app_context():
    agency = org.create_unit(db.session, code="BA", name="Sở Đo Tải", kind=UnitKind.AGENCY, parent=None)
    survey = authoring.create_survey(db.session, title="Đo tải", audience=Audience.STAFF,
        anonymity=Anonymity.ANONYMOUS, owner_unit=agency, units=[agency], author=None, questions=[
            {{"key": "q1", "kind": "rating", "text": "Mức hài lòng", "required": True}},
            {{"key": "q2", "kind": "long_text", "text": "Ý kiến"}}])
    authoring.publish(db.session, survey, None)
    tokens = []
    for number in range({staff}):
        user = people.create_user(db.session, full_name=f"Cán bộ {{number}}", email=f"cb{{number}}@do-tai.gov.vn",
                                  phone=None, unit=agency)
        people.assign_role(db.session, user, Role.STAFF, unit=agency)
        tokens.append(people.create_api_token(db.session, user, "bench"))
    db.session.commit()
    print(json.dumps({{"survey": survey.id, "tokens": tokens}}))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["survey"], data["tokens"]


def timed(request: urllib.request.Request) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start


def run(requests: list[urllib.request.Request], concurrency: int) -> tuple[list[tuple[int, float]], float]:
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(timed, requests))
    return results, time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    db = Database()  # a fresh, migrated database: never the one DATABASE_URL names
    env = dict(os.environ, INSTANCE_PATH=db.instance, SECRET_KEY="bench", PUBLIC_SUBMITS_PER_HOUR="1000000")
    if db.name:
        env["DATABASE_URL"] = db.url
    else:
        env.pop("DATABASE_URL", None)
    try:
        return measure(env, args, db.kind)
    finally:
        db.close()


def measure(env: dict, args, database: str) -> int:
    survey_id, tokens = prepare(env, args.requests)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}", "bench.hello_app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/_bench/hello", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        submissions = []
        for number, token in enumerate(tokens):
            body = json.dumps({"answers": {"q1": number % 5 + 1, "q2": f"Ý kiến số {number}"}}).encode()
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": uuid.uuid4().hex,
            }
            request = urllib.request.Request(
                f"{base}/api/v1/surveys/{survey_id}/responses", data=body, method="POST", headers=headers
            )
            submissions.append(request)
            if number % 10 == 0:  # a retry of the same submission
                submissions.append(request)
        hello = [urllib.request.Request(base + "/_bench/hello") for _ in range(len(submissions))]
        run(hello[:200], args.concurrency)  # warm up
        hello_results, hello_seconds = run(hello, args.concurrency)
        submit_results, submit_seconds = run(submissions, args.concurrency)
    finally:
        server.terminate()
        server.wait()
    accepted = sum(1 for status, _ in submit_results if status == 201)
    replayed = sum(1 for status, _ in submit_results if status == 200)
    failed = len(submit_results) - accepted - replayed
    count_script = (
        "from webapp import create_app\nfrom webapp.extensions import db\nfrom sqlalchemy import text\n"
        "app = create_app()\nwith app.app_context():\n"
        "    print(db.session.execute(text('select count(*) from responses')).scalar())"
    )
    stored = int(
        subprocess.run(
            [sys.executable, "-c", count_script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    latencies = [seconds * 1000 for _, seconds in submit_results]
    submit_rate = len(submit_results) / submit_seconds
    hello_rate = len(hello_results) / hello_seconds
    print(f"database: {database}; gunicorn workers: {args.workers}; concurrency: {args.concurrency}")
    print(f"submissions sent: {len(submit_results)} (including {len(submit_results) - args.requests} retries)")
    print(f"accepted responses: {accepted}; replayed retries: {replayed}; failed: {failed}")
    print(f"rows stored: {stored} ({'equal' if stored == accepted else 'NOT EQUAL'} to accepted)")
    print(f"latency p50: {percentile(latencies, 0.50):.1f} ms; p95: {percentile(latencies, 0.95):.1f} ms")
    print(
        f"throughput: {submit_rate:.0f} submissions/s; hello: {hello_rate:.0f} requests/s; "
        f"ratio: {submit_rate / hello_rate:.2f}"
    )
    return 0 if stored == accepted and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
