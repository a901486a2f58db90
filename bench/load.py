"""A real load test: gunicorn on a fresh PostgreSQL database under Locust, for a bounded time.

    .venv/bin/python bench/load.py [--users 50] [--seconds 120] [--spawn-rate 10] [--workers 4] [--threads 1]
                                   [--staff-accounts 3000] [--history 2000] [--think 2,8]
                                   [--people Citizen,StaffMember,Reader]

Creates a new database on the PostgreSQL server DATABASE_URL names (default
postgresql://postgres@127.0.0.1:5432/test; the database itself is never touched) and migrates
it; loads one province (bench/summary.py's units and heads), a staff survey with --history
tagged answers and a weekly summary of them, an open citizens' survey with a public link, an open
two-page staff survey and --staff-accounts staff members who have not answered it. Starts
gunicorn (--workers sync workers, the production command; --threads to try threads) behind a
simulated proxy (BEHIND_PROXY=1: each simulated person sends an X-Forwarded-For address of
their own), with PUBLIC_SUBMITS_PER_HOUR and the per-address log-in limit raised all the same,
and runs bench/locustfile.py headless: --users people (citizens 6 : staff 3 : leaders 1, or
only those --people names) for --seconds, each spending --think seconds on a page (leaders
twice as long), letting each finish what they were doing. Prints p50/p95/p99 per request type,
the errors, and the responses the app accepted against the rows stored. Goal (issue 16),
printed last: 0 errors, p95 of a submission < 250 ms, every accepted response stored once;
exits 1 when missed.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from bench.database import Database
from bench.load_survey import (
    CITIZEN_QUESTIONS,
    PASSWORD,
    READER_EMAIL,
    STAFF_EMAIL,
    STAFF_QUESTIONS,
)
from bench.submit import free_port
from bench.summary import build_org, bulk_load, generate, topic_taxonomy

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
SUMMARY_WEEK = "2026-W20"
SUBMISSIONS = ("citizen: submit", "staff: submit")
P95_GOAL_MS = 250


def prepare(db: Database, args) -> dict[str, str]:
    """The data of the run; returns the LOAD_* variables the locustfile reads."""
    from surveys import authoring, people
    from surveys.models import (
        RESIDENTIAL_KINDS,
        Anonymity,
        Audience,
        Role,
        RoleAssignment,
        Unit,
        User,
        WeeklySummary,
    )
    from surveys.summaries import run_week

    with Session(db.engine) as session:
        unit_ids, results_survey, version_id, question_id = build_org(session, 30)
    bulk_load(db, generate(args.history, unit_ids, results_survey, version_id, question_id, seed=2026))
    with Session(db.engine) as session:
        province = session.scalar(select(Unit).where(Unit.code == "BT"))
        communes = session.scalars(select(Unit).where(Unit.kind.in_(RESIDENTIAL_KINDS))).all()
        surveys = {}
        for audience, title, units, questions in (
            (Audience.CITIZENS, "Mức độ hài lòng của người dân", communes, CITIZEN_QUESTIONS),
            (Audience.STAFF, "Tâm tư cán bộ quý này", [province], STAFF_QUESTIONS),
        ):
            survey = authoring.create_survey(
                session,
                title=title,
                audience=audience,
                anonymity=Anonymity.ANONYMOUS,
                owner_unit=province,
                units=units,
                author=None,
                questions=questions,
            )
            authoring.publish(session, survey, None)
            surveys[audience] = survey
        first = people.create_user(
            session,
            full_name="Cán bộ 1",
            email=STAFF_EMAIL.format(number=1),
            phone=None,
            unit=province,
            password=PASSWORD,
        )
        session.flush()
        departments = session.scalars(select(Unit.id).where(Unit.code.like("D-%"))).all()
        session.execute(
            insert(User),
            [
                {
                    "full_name": f"Cán bộ {n}",
                    "email": STAFF_EMAIL.format(number=n),
                    "password_hash": first.password_hash,
                    "unit_id": departments[n % len(departments)],
                }
                for n in range(2, args.staff_accounts + 1)
            ],
        )
        staff_ids = session.scalars(select(User.id).where(User.email.like(STAFF_EMAIL.format(number="%")))).all()
        session.execute(insert(RoleAssignment), [{"user_id": uid, "role": Role.STAFF} for uid in staff_ids])
        session.execute(update(User).where(User.email == READER_EMAIL).values(password_hash=first.password_hash))
        run_week(session, SUMMARY_WEEK, k=5, topic_labels=topic_taxonomy()[1])
        summary = session.scalar(
            select(WeeklySummary.id).where(WeeklySummary.unit_id == province.id, WeeklySummary.week == SUMMARY_WEEK)
        )
        session.commit()
        return {
            "LOAD_PUBLIC_TOKEN": surveys[Audience.CITIZENS].public_token,
            "LOAD_CITIZEN_SURVEY": str(surveys[Audience.CITIZENS].id),
            "LOAD_STAFF_SURVEY": str(surveys[Audience.STAFF].id),
            "LOAD_RESULTS_SURVEY": str(results_survey),
            "LOAD_SUMMARY": str(summary),
            "LOAD_STAFF_ACCOUNTS": str(args.staff_accounts),
        }


def serve(env: dict, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def swarm(env: dict, base: str, args, report: Path) -> None:
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.seconds}s",
        "--stop-timeout",
        "60",
        "--only-summary",
        "--loglevel",
        "WARNING",
        *args.people.split(","),
    ]
    log = report.with_suffix(".log")
    with log.open("w") as output:
        subprocess.run(
            command,
            cwd=ROOT,
            env=env | {"LOAD_REPORT": str(report)},
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if not report.exists():
        raise SystemExit(f"Locust wrote no report; see {log}:\n{log.read_text()[-3000:]}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def stored(db: Database, survey_id: str) -> int:
    from surveys.models import Response

    with Session(db.engine) as session:
        return session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == int(survey_id)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (1: sync workers)")
    parser.add_argument("--staff-accounts", type=int, default=3000)
    parser.add_argument("--history", type=int, default=2000)
    parser.add_argument("--think", default="2,8", help="seconds a person spends on a page: min,max")
    parser.add_argument(
        "--people",
        default="Citizen,StaffMember,Reader",
        help="which of the locustfile's people come (e.g. Citizen alone, to see what the others cost)",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    db = Database()  # a fresh, migrated database beside the one DATABASE_URL names
    if db.kind != "PostgreSQL":
        raise SystemExit("bench/load.py runs on PostgreSQL: set DATABASE_URL to a PostgreSQL server")
    report = Path(tempfile.mkdtemp(prefix="bench-load-")) / "report.json"
    try:
        ids = prepare(db, args)
        env = (
            dict(
                os.environ,
                DATABASE_URL=db.url,
                INSTANCE_PATH=db.instance,
                SECRET_KEY="bench",
                PUBLIC_SUBMITS_PER_HOUR="1000000",
                LOGIN_ATTEMPTS_PER_ADDRESS="1000000",
                BEHIND_PROXY="1",
                LOAD_THINK=args.think,
            )
            | ids
        )
        server, base = serve(env, args.workers, args.threads)
        try:
            swarm(env, base, args, report)
        finally:
            server.terminate()
            server.wait()
        data = json.loads(report.read_text())
        counts = {"citizens": stored(db, ids["LOAD_CITIZEN_SURVEY"]), "staff": stored(db, ids["LOAD_STAFF_SURVEY"])}
    finally:
        db.close()
        shutil.rmtree(report.parent, ignore_errors=True)
    return print_report(args, data, counts)


def print_report(args, data: dict, counts: dict[str, int]) -> int:
    latencies, failures, accepted = data["latencies"], data["failures"], data["accepted"]
    print(
        f"database: PostgreSQL; gunicorn: {args.workers} workers x {args.threads} threads; "
        f"Locust: {args.users} users ({args.people}) for {args.seconds} s, {args.think} s on each page"
    )
    print(f"{'request':<24}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name in sorted(latencies):
        values = latencies[name]
        print(
            f"{name:<24}{len(values):>7}{failures.get(name, 0):>8}{percentile(values, 0.5):>9.0f}"
            f"{percentile(values, 0.95):>9.0f}{percentile(values, 0.99):>9.0f}"
        )
    requests = sum(len(v) for v in latencies.values())
    errors = sum(failures.values())
    print(f"all requests: {requests} ({requests / args.seconds:.0f}/s), errors: {errors}")
    same = all(counts[who] == accepted[who] for who in counts)
    for who, count in counts.items():
        print(f"{who}: {accepted[who]} responses accepted, {count} stored")
    p95 = max(percentile(latencies[name], 0.95) for name in SUBMISSIONS if latencies.get(name))
    met = errors == 0 and p95 < P95_GOAL_MS and same
    print(
        f"goal: errors {errors} (0), p95 of a submission {p95:.0f} ms (< {P95_GOAL_MS}), "
        f"stored {'=' if same else '!='} accepted: {'met' if met else 'NOT MET'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
