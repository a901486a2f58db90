"""Cost of the weekly-summary job on a synthetic year, against a bare SQL GROUP BY.

    .venv/bin/python bench/summary.py [--answers 1000000] [--units 500] [--scales 0.1,1]
                                      [--week 2026-W26] [--repeat 3] [--seed 2026]

For each scale s in --scales, builds a fresh database (migrated with Alembic like the app:
a new SQLite file, or, when DATABASE_URL is set, a new PostgreSQL database bench_<random>
on that server, dropped at the end) holding round(s * answers) tagged free-text answers
over 52 ISO weeks of 2026 and --units units (one province, a tenth of the units as
agencies/communes under it, the rest departments under those). Every agency-level unit
and the province have a head, and two party committees exist, so the job writes
(units / 10 + 1 + 2) summaries. Then, in the same process and interleaved:

  * the weekly run: surveys.summaries.run_week(session, week, k=5, topic_labels=...) plus
    commit, in a fresh session (no NLP themes);
  * the bare GROUP BY (unit, topic, sentiment) over the same two weeks the run reads;
  * the bare GROUP BY over the whole year.

Each is run once to warm up, then --repeat times; medians are printed with the ratios
measured in this run (machines are noisy; compare ratios, not seconds). Peak memory of
one weekly run is measured in a child process, so data generation does not pollute it:
the peak RSS of a run (VmHWM, reset just before it; getrusage's ru_maxrss is printed too
but inherits the forking parent's high-water mark) above the RSS before it, then the
tracemalloc peak of a second run. With several scales, the memory growth factor between the smallest and the
largest scale is printed last. A per-query breakdown of read_week is printed for every
scale (wall time from each statement's execution to the next one, fetch included).

Goal from the issue: ratio (weekly run / GROUP BY same weeks) <= 3, memory flat as rows
grow 10x.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

import numpy as np
from sqlalchemy import Date, bindparam, create_engine, insert, text
from sqlalchemy.orm import Session

from bench.database import Database
from surveys.db import ENGINE_OPTIONS, configure_engine

YEAR_START = date.fromisocalendar(2026, 1, 1)  # Monday 2025-12-29
WEEKS = 52
CHUNK = 20_000
K = 5
SENTIMENTS = ("negative", "neutral", "positive")
SENTIMENT_P = (0.35, 0.45, 0.20)
ALERT_SHARE = 0.002
CORRECTION_SHARE = 0.0005
STAFF_PER_UNIT = 10

WEEK_SQL = text(
    "SELECT r.unit_id, t.main_topic, t.sentiment, count(*) FROM answer_tags t "
    "JOIN answers a ON a.id = t.answer_id JOIN responses r ON r.id = a.response_id "
    "WHERE r.submitted_on >= :first AND r.submitted_on < :end "
    "GROUP BY r.unit_id, t.main_topic, t.sentiment"
).bindparams(bindparam("first", type_=Date), bindparam("end", type_=Date))
YEAR_SQL = text(
    "SELECT r.unit_id, t.main_topic, t.sentiment, count(*) FROM answer_tags t "
    "JOIN answers a ON a.id = t.answer_id JOIN responses r ON r.id = a.response_id "
    "GROUP BY r.unit_id, t.main_topic, t.sentiment"
)

OPENINGS = [
    "Đề nghị",
    "Kiến nghị",
    "Mong lãnh đạo",
    "Cần",
    "Nên",
    "Tôi thấy",
    "Hiện nay",
    "Anh em phản ánh",
    "Đơn vị mình",
    "Thực tế là",
    "Xin được",
    "Nhìn chung",
]
MIDDLES = [
    "lương và phụ cấp còn thấp so với mặt bằng chung",
    "thủ tục hành chính vẫn còn rườm rà",
    "phần mềm một cửa hay bị lỗi, chậm",
    "khối lượng công việc tăng mà biên chế giảm",
    "cơ sở vật chất, trụ sở làm việc xuống cấp",
    "đường giao thông nông thôn hư hỏng nhiều",
    "công tác đào tạo, bồi dưỡng chưa sát thực tế",
    "lãnh đạo lắng nghe ý kiến cán bộ hơn",
    "an ninh trật tự khu dân cư được giữ vững",
    "môi trường, rác thải ở chợ chưa được xử lý",
    "trạm y tế thiếu thuốc và nhân lực",
    "trường học thiếu giáo viên",
    "chế độ chính sách cho người có công",
    "thái độ phục vụ của cán bộ tiếp dân đã tốt hơn",
    "giải phóng mặt bằng còn chậm, đất đai tranh chấp",
]
ENDINGS = [
    "",
    ".",
    ", mong được quan tâm.",
    ", đề nghị xem xét sớm.",
    " trong thời gian tới.",
    ". Cảm ơn.",
    ", nhiều người bức xúc.",
    " so với năm trước.",
]


def topic_taxonomy() -> tuple[list[str], dict[str, str]]:
    topics = json.loads((ROOT / "nlp" / "data" / "taxonomy.json").read_text(encoding="utf-8"))["topics"]
    return [t["key"] for t in topics], {t["key"]: t["label"] for t in topics}


def text_pool(rng: np.random.Generator, size: int = 4096) -> list[str]:
    pool = []
    while len(pool) < size:
        parts = [OPENINGS[rng.integers(len(OPENINGS))], MIDDLES[rng.integers(len(MIDDLES))]]
        if rng.random() < 0.5:
            parts.append("và " + MIDDLES[rng.integers(len(MIDDLES))])
        sentence = " ".join(parts) + ENDINGS[rng.integers(len(ENDINGS))]
        if 40 <= len(sentence) <= 120:
            pool.append(sentence)
    return pool


def rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def hwm_kb() -> int:
    """This process's own peak RSS (VmHWM). Unlike ru_maxrss it does not inherit the high-water mark of the
    parent that forked it, and it can be reset to the current RSS (``reset_hwm``)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return maxrss_kb()


def reset_hwm() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


# --------------------------------------------------------------------------- data


def build_org(session: Session, n_units: int) -> tuple[list[int], int, int, int]:
    """Units, heads, committees and one open anonymous staff survey; returns (unit ids, survey, version, question)."""
    from surveys import authoring, org, people
    from surveys.models import Anonymity, Audience, CommitteeKind, Role, UnitKind

    province = org.create_unit(session, code="BT", name="Tỉnh Đo Tải", kind=UnitKind.PROVINCE, parent=None)
    n_level2 = max(1, round(n_units / 10)) if n_units > 1 else 0
    level2 = []
    for i in range(n_level2):
        kind = UnitKind.AGENCY if i % 2 == 0 else UnitKind.COMMUNE
        level2.append(
            org.create_unit(
                session,
                code=f"L2-{i:03d}",
                name=f"{'Sở' if i % 2 == 0 else 'Xã'} số {i:03d}",
                kind=kind,
                parent=province,
            )
        )
    departments = []
    for i in range(n_units - 1 - n_level2):
        parent = level2[i % n_level2]
        departments.append(
            org.create_unit(
                session, code=f"D-{i:04d}", name=f"Phòng số {i:04d}", kind=UnitKind.DEPARTMENT, parent=parent
            )
        )
    units = [province, *level2, *departments]
    for number, unit in enumerate([province, *level2]):
        head = people.create_user(
            session, full_name=f"Thủ trưởng {number}", email=f"head{number}@bench.gov.vn", phone=None, unit=unit
        )
        people.assign_role(session, head, Role.UNIT_HEAD, unit=unit)
    for code, name, overseen in (
        ("DU-KHOI", "Đảng ủy Khối cơ quan", level2[0::2]),
        ("DU-PHONG", "Đảng ủy các phòng", departments[0::5]),
    ):
        org.create_committee(
            session,
            code=code,
            name=name,
            kind=CommitteeKind.PARTY_COMMITTEE,
            unit=province,
            overseen=overseen or [province],
        )
    survey = authoring.create_survey(
        session,
        title="Tâm tư, nguyện vọng cả năm",
        audience=Audience.STAFF,
        anonymity=Anonymity.ANONYMOUS,
        owner_unit=province,
        units=units,
        author=None,
        questions=[{"key": "y_kien", "kind": "long_text", "text": "Tâm tư, nguyện vọng của anh/chị"}],
    )
    authoring.publish(session, survey, None)
    session.commit()
    version = survey.current_version
    return [u.id for u in units], survey.id, version.id, version.questions[0].id


def build_staff(session: Session, unit_ids: list[int], survey_id: int, rng: np.random.Generator) -> None:
    """STAFF_PER_UNIT staff per unit (for response rates), half of whom took part on some day of the year."""
    from surveys.models import Participation, Role, RoleAssignment, User

    rows = [
        {"full_name": f"Cán bộ {uid}-{i}", "email": f"staff{uid}-{i}@bench.gov.vn", "unit_id": uid}
        for uid in unit_ids
        for i in range(STAFF_PER_UNIT)
    ]
    session.execute(insert(User), rows)
    staff = session.execute(text("SELECT id FROM users WHERE email LIKE 'staff%'")).scalars().all()
    session.execute(
        insert(RoleAssignment),
        [
            {"user_id": uid, "role": Role.STAFF, "unit_id": unit}
            for uid, unit in zip(staff, [r["unit_id"] for r in rows])
        ],
    )
    takers = staff[0::2]
    days = rng.integers(0, WEEKS * 7, len(takers))
    session.execute(
        insert(Participation),
        [
            {"survey_id": survey_id, "user_id": uid, "responded_on": YEAR_START + timedelta(days=int(d))}
            for uid, d in zip(takers, days)
        ],
    )
    session.commit()


def generate(n: int, unit_ids: list[int], survey_id: int, version_id: int, question_id: int, seed: int):
    """Yield (responses, answers, tags) chunks, in submission order (ids grow with the day, as in production)."""
    topics, _ = topic_taxonomy()
    rng = np.random.default_rng(seed)
    pool = text_pool(rng)
    days = np.sort(rng.integers(0, WEEKS * 7, n))
    day_text = [(YEAR_START + timedelta(days=d)).isoformat() for d in range(WEEKS * 7)]
    tagged_text = [
        (datetime.combine(YEAR_START + timedelta(days=d), dtime(20, 0))).strftime("%Y-%m-%d %H:%M:%S.%f")
        for d in range(WEEKS * 7)
    ]
    units = np.asarray(unit_ids)
    for start in range(0, n, CHUNK):
        stop = min(n, start + CHUNK)
        size = stop - start
        ids = range(start + 1, stop + 1)
        day = days[start:stop].tolist()
        unit = units[rng.integers(0, len(units), size)].tolist()
        topic = rng.integers(0, len(topics), size).tolist()
        second = rng.integers(0, len(topics), size).tolist()
        sentiment = rng.choice(3, size, p=SENTIMENT_P).tolist()
        s_conf = np.round(rng.uniform(0.4, 1.0, size), 3).tolist()
        t_conf = np.round(rng.uniform(0.2, 1.0, size), 3).tolist()
        alert = (rng.random(size) < ALERT_SHARE).tolist()
        texts = rng.integers(0, len(pool), size).tolist()
        responses = [
            (i, survey_id, version_id, u, None, None, "web", day_text[d], None, f"{i:x}")
            for i, u, d in zip(ids, unit, day)
        ]
        answers = [(i, i, question_id, None, pool[t]) for i, t in zip(ids, texts)]
        tags = []
        for i, d, tp, sc, s, scf, tcf, al, t in zip(ids, day, topic, second, sentiment, s_conf, t_conf, alert, texts):
            main = topics[tp]
            words = pool[t].split()
            tags.append(
                (
                    i,
                    "bench-2026.11",
                    SENTIMENTS[s],
                    scf,
                    main,
                    tcf,
                    json.dumps([{"key": main, "confidence": tcf}, {"key": topics[sc], "confidence": 0.1}]),
                    json.dumps([" ".join(words[1:3]), " ".join(words[3:5])], ensure_ascii=False),
                    '["harassment"]' if al else "[]",
                    al,
                    pool[t],
                    False,
                    tagged_text[d],
                )
            )
        yield responses, answers, tags


RESPONSE_COLS = (
    "id",
    "survey_id",
    "version_id",
    "unit_id",
    "respondent_id",
    "invitation_id",
    "channel",
    "submitted_on",
    "submitted_at",
    "idempotency_key",
)
ANSWER_COLS = ("id", "response_id", "question_id", "value", "text")
TAG_COLS = (
    "answer_id",
    "model_version",
    "sentiment",
    "sentiment_confidence",
    "main_topic",
    "main_topic_confidence",
    "topics",
    "keyphrases",
    "alerts",
    "has_alert",
    "redacted",
    "no_diacritics",
    "tagged_at",
)


def bulk_load(db: Database, chunks) -> None:
    tables = (("responses", RESPONSE_COLS), ("answers", ANSWER_COLS), ("answer_tags", TAG_COLS))
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if db.kind == "SQLite":
            cursor = driver.cursor()
            cursor.execute("BEGIN")
            for chunk in chunks:
                for (table, cols), rows in zip(tables, chunk):
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows
                    )
            cursor.execute("COMMIT")
        else:
            with driver.cursor() as cursor:
                for chunk in chunks:
                    for (table, cols), rows in zip(tables, chunk):
                        tz_rows = rows
                        if table == "answer_tags":  # timestamps are timestamptz: say they are UTC
                            tz_rows = (row[:-1] + (row[-1] + "+00",) for row in rows)
                        with cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                            for row in tz_rows:
                                copy.write_row(row)
                for table in ("responses", "answers"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    )
            driver.commit()
            with driver.cursor() as cursor:  # what autovacuum would soon do after a load this size
                driver.autocommit = True
                cursor.execute("ANALYZE")
                driver.autocommit = False
    finally:
        raw.close()


def add_corrections(session: Session, n: int, rng: np.random.Generator) -> None:
    from surveys.models import TagCorrection

    topics, _ = topic_taxonomy()
    count = max(1, int(n * CORRECTION_SHARE))
    picked = sorted(set(rng.integers(1, n + 1, count).tolist()))
    session.execute(
        insert(TagCorrection),
        [{"answer_id": a, "sentiment": SENTIMENTS[a % 3], "topics": [topics[a % len(topics)]]} for a in picked],
    )
    session.commit()


# --------------------------------------------------------------------------- measuring


def weekly_run(engine, week: str, labels: dict[str, str]) -> int:
    from surveys.summaries import run_week

    with Session(engine) as session:
        stored = run_week(session, week, k=K, topic_labels=labels)
        session.commit()
        return len(stored)


def bare(engine, sql, **params) -> int:
    with engine.connect() as connection:
        return len(connection.execute(sql, params).all())


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def profile_read_week(engine, week: str) -> list[tuple[str, float, int]]:
    """Wall time of each statement of read_week, from its execution to the next one's (fetch and loop included)."""
    from sqlalchemy import event

    from surveys.summaries import read_week

    marks: list[tuple[float, str]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        marks.append((time.perf_counter(), statement))

    event.listen(engine, "before_cursor_execute", before)
    try:
        with Session(engine) as session:
            session.connection()  # BEGIN outside the measured part
            marks.clear()
            start = time.perf_counter()
            data = read_week(session, week)
            end = time.perf_counter()
            session.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    # The statements of read_week, in the order it runs them.
    names = [
        "responses per unit and day, 8 weeks",
        "tags of the previous week: GROUP BY unit x topic x sentiment",
        "this week row by row: counts and quote candidates",
        "tag corrections, 2 weeks",
        "staff per unit",
        "participants this week",
        "alerts, this week (limit 500)",
        "unplaced answers, this week (limit 3000)",
    ]
    rows = []
    stamps = [m[0] for m in marks] + [end]
    for number, (stamp, statement) in enumerate(marks):
        name = names[number] if len(marks) == len(names) else " ".join(statement.split())[:70]
        rows.append((name, stamps[number + 1] - stamp, 0))
    rows.append(("(python before the first statement)", (marks[0][0] if marks else end) - start, 0))
    sizes = {
        "this week": sum(map(len, data.candidates.values())),
        "alerts": sum(map(len, data.alerts.values())),
        "unplaced": sum(map(len, data.unplaced.values())),
    }
    return [(n, s, next((v for k, v in sizes.items() if n.startswith(k)), 0)) for n, s, _ in rows]


def child_memory(url: str, week: str) -> None:
    """Run in a fresh process: one weekly run, with tracemalloc; print JSON."""
    _, labels = topic_taxonomy()
    engine = create_engine(url, **ENGINE_OPTIONS)
    configure_engine(engine)
    import surveys.summaries  # noqa: F401  (import cost stays out of the measured part)

    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    # RSS first, without tracemalloc (whose own bookkeeping would inflate it), then tracemalloc on a second run.
    reset = reset_hwm()
    before_rss = rss_kb()
    weekly_run(engine, week, labels)
    hwm, ru_maxrss = hwm_kb(), maxrss_kb()
    tracemalloc.start()
    weekly_run(engine, week, labels)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "tracemalloc_peak": peak,
                "rss_before_kb": before_rss,
                "hwm_kb": hwm,
                "hwm_reset": reset,
                "ru_maxrss_kb": ru_maxrss,
            }
        )
    )


def measure_memory(db: Database, week: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child-memory", db.url, "--week", week],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_scale(n: int, args, labels: dict[str, str]) -> dict:
    db = Database()
    try:
        t0 = time.perf_counter()
        rng = np.random.default_rng(args.seed + 1)
        with Session(db.engine) as session:
            unit_ids, survey_id, version_id, question_id = build_org(session, args.units)
            build_staff(session, unit_ids, survey_id, rng)
        bulk_load(db, generate(n, unit_ids, survey_id, version_id, question_id, args.seed))
        with Session(db.engine) as session:
            add_corrections(session, n, rng)
        build_seconds = time.perf_counter() - t0

        monday = date.fromisocalendar(*map(int, args.week.split("-W")), 1)
        first, end = monday - timedelta(days=7), monday + timedelta(days=7)
        with db.engine.connect() as connection:
            rows_week = connection.execute(
                text(
                    "SELECT count(*) FROM responses r JOIN answers a ON a.response_id = r.id "
                    "JOIN answer_tags t ON t.answer_id = a.id WHERE r.submitted_on >= :first AND r.submitted_on < :end"
                ).bindparams(bindparam("first", type_=Date), bindparam("end", type_=Date)),
                {"first": first, "end": end},
            ).scalar()
            rows_total = connection.execute(text("SELECT count(*) FROM answer_tags")).scalar()

        # Warm up once each, then interleave the timed runs.
        scopes = weekly_run(db.engine, args.week, labels)
        bare(db.engine, WEEK_SQL, first=first, end=end)
        bare(db.engine, YEAR_SQL)
        weekly, week_sql, year_sql = [], [], []
        for _ in range(args.repeat):
            week_sql.append(timed(bare, db.engine, WEEK_SQL, first=first, end=end)[0])
            weekly.append(timed(weekly_run, db.engine, args.week, labels)[0])
            year_sql.append(timed(bare, db.engine, YEAR_SQL)[0])
        profile = profile_read_week(db.engine, args.week)
        memory = measure_memory(db, args.week)
        return {
            "n": n,
            "rows_total": rows_total,
            "rows_week": rows_week,
            "scopes": scopes,
            "build": build_seconds,
            "weekly": statistics.median(weekly),
            "week_sql": statistics.median(week_sql),
            "year_sql": statistics.median(year_sql),
            "weekly_all": weekly,
            "week_sql_all": week_sql,
            "year_sql_all": year_sql,
            "profile": profile,
            "memory": memory,
            "db": db.kind,
        }
    finally:
        db.close()


def report(result: dict, args) -> None:
    m = result["memory"]
    rss_growth_kb = max(0, m["hwm_kb"] - m["rss_before_kb"])
    print(f"--- {result['n']:,} answers over {args.units} units ({result['db']}; built in {result['build']:.1f} s)")
    print(
        f"rows: {result['rows_total']:,} tagged answers in the year; {result['rows_week']:,} in the two weeks "
        f"read ({args.week} and the week before); summaries stored per run: {result['scopes']}"
    )
    print(
        f"weekly run (run_week + commit), median of {args.repeat}: {result['weekly']:.3f} s  "
        f"[{', '.join(f'{s:.3f}' for s in result['weekly_all'])}]"
    )
    print(
        f"bare GROUP BY, same two weeks, median of {args.repeat}: {result['week_sql']:.3f} s  "
        f"[{', '.join(f'{s:.3f}' for s in result['week_sql_all'])}]"
    )
    print(
        f"bare GROUP BY, whole year, median of {args.repeat}: {result['year_sql']:.3f} s  "
        f"[{', '.join(f'{s:.3f}' for s in result['year_sql_all'])}]"
    )
    print(f"ratio weekly run / GROUP BY same weeks: {result['weekly'] / result['week_sql']:.2f}")
    print(f"ratio weekly run / GROUP BY whole year: {result['weekly'] / result['year_sql']:.2f}")
    print(
        f"peak memory of one weekly run (child process): tracemalloc peak {m['tracemalloc_peak'] / 2**20:.2f} MiB; "
        f"peak RSS {m['hwm_kb'] / 1024:.1f} MiB, {rss_growth_kb / 1024:.1f} MiB above RSS before the run "
        f"(VmHWM{' reset before the run' if m['hwm_reset'] else ''}; getrusage ru_maxrss "
        f"{m['ru_maxrss_kb'] / 1024:.1f} MiB includes the forking parent's high-water mark)"
    )
    total = sum(s for _, s, _ in result["profile"])
    print(f"read_week breakdown (one run, {total:.3f} s in all):")
    for name, seconds, rows in sorted(result["profile"], key=lambda r: -r[1]):
        extra = f", {rows} rows" if rows else ""
        print(f"    {seconds:8.3f} s  {100 * seconds / total if total else 0:5.1f}%  {name}{extra}")
    print(
        f"rest of the weekly run (median run minus this read_week: units, scopes, summarise x{result['scopes']}, "
        f"store, commit): ~{max(0.0, result['weekly'] - total):.3f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=1_000_000, help="answers in the year at scale 1")
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--scales", default="0.1,1", help="comma-separated multipliers of --answers (default 0.1,1)")
    parser.add_argument("--week", default="2026-W26", help="ISO week to summarise (default: mid-year)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--child-memory", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory, args.week)
        return 0
    _, labels = topic_taxonomy()
    scales = sorted(float(s) for s in args.scales.split(","))
    results = []
    for scale in scales:
        n = round(args.answers * scale)
        result = run_scale(n, args, labels)
        report(result, args)
        results.append(result)
        sys.stdout.flush()
    last = results[-1]
    ratio = last["weekly"] / last["week_sql"]
    growth_text = "n/a (one scale; use --scales 0.1,1)"
    if len(results) > 1:
        small, large = results[0]["memory"], results[-1]["memory"]
        rows_factor = results[-1]["n"] / results[0]["n"]
        peak_growth = large["tracemalloc_peak"] / small["tracemalloc_peak"]
        rss_small = max(1, small["hwm_kb"] - small["rss_before_kb"])
        rss_large = max(1, large["hwm_kb"] - large["rss_before_kb"])
        print(
            f"--- scale check: rows x{rows_factor:.1f}; weekly run time x{last['weekly'] / results[0]['weekly']:.2f}; "
            f"GROUP BY same weeks time x{last['week_sql'] / results[0]['week_sql']:.2f}; tracemalloc peak "
            f"x{peak_growth:.2f}; RSS growth during the run x{rss_large / rss_small:.2f}"
        )
        growth_text = f"{rows_factor:g}x rows: {peak_growth:.2f}"
    print(f"ratio (weekly run / GROUP BY same weeks): {ratio:.2f}; peak memory growth {growth_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
