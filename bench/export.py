"""Streamed CSV and XLSX exports of a survey's responses, against reading the same rows bare.

    .venv/bin/python bench/export.py [--responses 100000] [--scales 0.1,1]

Builds a fresh database per scale (SQLite, or PostgreSQL when DATABASE_URL is set) with the
same synthetic data as bench/summary.py, then, in one process: reads the same rows with a
bare SELECT, exports CSV (surveys.exports.rows → csv_chunks) and XLSX (xlsx_file), and
prints seconds, ratios to the bare read, and the tracemalloc peak of each export. Goal from
the issue: 100,000 responses export without loading everything into memory, i.e. the peak
stays flat as the rows grow 10x.
"""
import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.database import Database  # noqa: E402
from bench.summary import build_org, bulk_load, generate  # noqa: E402

K = 5


def measure(fn) -> tuple[float, float, object]:
    """Seconds of ``fn()``, then the tracemalloc peak (MiB) of a second run (tracing slows it down)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def run_scale(n: int, seed: int) -> dict:
    from surveys import exports, people
    from surveys.models import Answer, Response, Role, Survey, User

    db = Database()
    try:
        with Session(db.engine) as session:
            unit_ids, survey_id, version_id, question_id = build_org(session, 100)
            admin = people.create_user(session, full_name="Quản trị", email="admin@bench.gov.vn", phone=None,
                                       unit=None)
            people.assign_role(session, admin, Role.ADMIN)
            session.commit()
            admin_id = admin.id
        bulk_load(db, generate(n, unit_ids, survey_id, version_id, question_id, seed))

        def bare() -> int:
            with Session(db.engine) as session:
                query = (select(Response.id, Response.unit_id, Response.submitted_on, Answer.text)
                         .join(Answer, Answer.response_id == Response.id).where(Response.survey_id == survey_id))
                return sum(1 for _ in session.execute(query).yield_per(2000))

        def export(kind: str):
            with Session(db.engine) as session:
                rows = exports.rows(session, session.get(User, admin_id), session.get(Survey, survey_id), k=K)
                if kind == "csv":
                    return sum(len(chunk) for chunk in exports.csv_chunks(rows))
                with exports.xlsx_file(rows) as output:
                    return len(output.read())

        bare()  # warm the caches
        bare_seconds, _, count = measure(bare)
        csv_seconds, csv_peak, csv_size = measure(lambda: export("csv"))
        xlsx_seconds, xlsx_peak, xlsx_size = measure(lambda: export("xlsx"))
        return {"n": n, "kind": db.kind, "rows": count, "bare": bare_seconds, "csv": csv_seconds,
                "csv_peak": csv_peak, "csv_size": csv_size, "xlsx": xlsx_seconds, "xlsx_peak": xlsx_peak,
                "xlsx_size": xlsx_size}
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--scales", default="0.1,1")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    results = []
    for scale in (float(s) for s in args.scales.split(",")):
        r = run_scale(round(args.responses * scale), args.seed)
        results.append(r)
        print(f"--- {r['rows']:,} responses ({r['kind']})")
        print(f"bare read of the same rows: {r['bare']:.2f} s")
        print(f"CSV:  {r['csv']:.2f} s (ratio {r['csv'] / r['bare']:.1f}), {r['csv_size'] / 2**20:.1f} MiB written, "
              f"tracemalloc peak {r['csv_peak']:.1f} MiB")
        print(f"XLSX: {r['xlsx']:.2f} s (ratio {r['xlsx'] / r['bare']:.1f}), {r['xlsx_size'] / 2**20:.1f} MiB written, "
              f"tracemalloc peak {r['xlsx_peak']:.1f} MiB")
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(f"rows x{last['rows'] / first['rows']:.0f}: CSV peak memory x{last['csv_peak'] / first['csv_peak']:.2f}, "
              f"XLSX peak memory x{last['xlsx_peak'] / first['xlsx_peak']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
