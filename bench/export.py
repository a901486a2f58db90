"""Streamed CSV and XLSX exports of a survey's responses: memory flat as the rows grow 10x.

    .venv/bin/python bench/export.py [--responses 1000000] [--scales 0.1,1]

For each scale, builds a fresh database (SQLite, or PostgreSQL when DATABASE_URL is set)
with the same synthetic data as bench/summary.py (an anonymous staff survey, one free-text
answer per response), then reads the same rows with a bare SELECT and exports them as CSV
(surveys.exports.rows -> csv_chunks) and XLSX (xlsx_file). Each export runs in a forked child
process, so its peak memory is its own: the peak RSS during the export (VmHWM, reset when the
child starts) above the RSS before it. Prints seconds, the ratio to the bare read and the peak
of each export at each scale; last, the growth of each peak from the smallest to the largest
scale. Goal (issue 16): both peaks grow at most 1.2x from 100,000 to 1,000,000 rows; exits 1
when either does not.
"""

import argparse
import os
import pickle
import sys
import time
import traceback
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.database import Database
from bench.summary import build_org, bulk_load, generate, hwm_kb, reset_hwm, rss_kb

K = 5
GOAL = 1.2


def in_child(engine, fn) -> tuple[float, float, object]:
    """Seconds, peak memory growth (MiB) and result of ``fn()`` run in a forked child process."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its own connections, its own high-water mark; it never returns
        try:
            os.close(read)
            engine.dispose(close=False)
            reset_hwm()
            base = rss_kb()
            start = time.perf_counter()
            result = fn()
            seconds = time.perf_counter() - start
            with os.fdopen(write, "wb") as pipe:
                pickle.dump((seconds, (hwm_kb() - base) / 1024, result), pipe)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        outcome = pickle.load(pipe)
    os.waitpid(pid, 0)
    return outcome


def run_scale(n: int, seed: int) -> dict:
    from surveys import exports, people
    from surveys.models import Answer, Response, Role, Survey, User

    db = Database()
    try:
        with Session(db.engine) as session:
            unit_ids, survey_id, version_id, question_id = build_org(session, 100)
            admin = people.create_user(session, full_name="Quản trị", email="admin@bench.gov.vn", phone=None, unit=None)
            people.assign_role(session, admin, Role.ADMIN)
            session.commit()
            admin_id = admin.id
        bulk_load(db, generate(n, unit_ids, survey_id, version_id, question_id, seed))

        def bare() -> int:
            with Session(db.engine) as session:
                query = (
                    select(Response.id, Response.unit_id, Response.submitted_on, Answer.text)
                    .join(Answer, Answer.response_id == Response.id)
                    .where(Response.survey_id == survey_id)
                )
                return sum(1 for _ in session.execute(query, execution_options={"yield_per": 2000}))

        def export(kind: str) -> int:
            with Session(db.engine) as session:
                rows = exports.rows(session, session.get(User, admin_id), session.get(Survey, survey_id), k=K)
                if kind == "csv":
                    return sum(len(chunk.encode()) for chunk in exports.csv_chunks(rows))
                with exports.xlsx_file(rows) as output:
                    return output.seek(0, os.SEEK_END)

        in_child(db.engine, bare)  # warm the caches
        result = {"n": n, "kind": db.kind}
        result["bare"], _, result["rows"] = in_child(db.engine, bare)
        for kind in ("csv", "xlsx"):
            result[kind], result[f"{kind}_peak"], result[f"{kind}_size"] = in_child(db.engine, partial(export, kind))
        return result
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--scales", default="0.1,1")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    results = []
    for scale in (float(s) for s in args.scales.split(",")):
        r = run_scale(round(args.responses * scale), args.seed)
        results.append(r)
        print(f"--- {r['rows']:,} responses ({r['kind']})")
        print(f"bare read of the same rows: {r['bare']:.2f} s")
        for kind in ("csv", "xlsx"):
            print(
                f"{kind.upper():4}: {r[kind]:.2f} s (ratio {r[kind] / r['bare']:.1f} to the bare read), "
                f"{r[f'{kind}_size'] / 2**20:.1f} MiB written, peak memory +{r[f'{kind}_peak']:.1f} MiB"
            )
    first, last = results[0], results[-1]
    growth = {kind: last[f"{kind}_peak"] / first[f"{kind}_peak"] for kind in ("csv", "xlsx")}
    met = len(results) > 1 and max(growth.values()) <= GOAL
    print(
        f"rows x{last['rows'] / first['rows']:.0f} ({first['kind']}): peak memory CSV x{growth['csv']:.2f}, "
        f"XLSX x{growth['xlsx']:.2f} (goal <= {GOAL}): {'met' if met else 'NOT MET'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
