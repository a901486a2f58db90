"""The background tagging worker against bare ``tag_many`` on the same answers, in one run.

    .venv/bin/python bench/tagging.py [--answers 4000] [--history 100000] [--batch 200] [--repeat 3]

Builds a fresh database (SQLite, or PostgreSQL when DATABASE_URL is set) holding --history
answers already tagged by the shipped model (a province's earlier weeks, as bench/summary.py
makes them) and --answers new free-text answers not yet tagged (texts as in
bench/nlp_throughput.py). Then, after one warm-up round, --repeat rounds over the new answers
(their tags deleted first, outside the timing), batch by batch of --batch, timing in turn:

  * bare: the shipped tagger's ``tag_many`` over the batch's texts, held in memory;
  * worker: ``surveys.tagging.tag_batch``, the step the scheduler's nlp_tagging job
    (``tag_pending``) repeats: claim the same answers, tag them, store the tags, commit.

Interleaving batch by batch lets both sides meet the same load on a shared machine. Prints
seconds per round and, last, the worker's speed as a share of bare ``tag_many`` over all
rounds. Goal (issue 16): >= 0.8 (database overhead <= 20%); exits 1 when missed.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from bench.database import Database
from bench.nlp_throughput import build_texts
from bench.summary import build_org, bulk_load, generate

GOAL = 0.8


def load_new_answers(
    db: Database, texts: list[str], survey_id: int, version_id: int, question_id: int, unit_ids: list[int]
) -> int:
    """The new, untagged answers (one response each); returns the last id of the history before them."""
    from surveys.models import Answer, Channel, Response

    with Session(db.engine) as session:
        first = (session.scalar(select(func.max(Response.id))) or 0) + 1
        day = session.scalar(select(func.max(Response.submitted_on)))
        session.execute(
            insert(Response),
            [
                {
                    "id": first + i,
                    "survey_id": survey_id,
                    "version_id": version_id,
                    "unit_id": unit_ids[i % len(unit_ids)],
                    "channel": Channel.WEB,
                    "submitted_on": day,
                    "idempotency_key": f"new-{i}",
                }
                for i in range(len(texts))
            ],
        )
        session.execute(
            insert(Answer),
            [
                {"id": first + i, "response_id": first + i, "question_id": question_id, "text": text}
                for i, text in enumerate(texts)
            ],
        )
        session.commit()
    if db.kind == "PostgreSQL":
        with db.engine.begin() as connection:
            for table in ("responses", "answers"):
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            connection.exec_driver_sql("ANALYZE")
    return first - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=4000)
    parser.add_argument("--history", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    import nlp
    from surveys import tagging
    from surveys.models import AnswerTag

    tagger = nlp.load_tagger()
    texts = build_texts(args.answers)
    db = Database()
    try:
        with Session(db.engine) as session:
            unit_ids, survey_id, version_id, question_id = build_org(session, 50)
        bulk_load(db, generate(args.history, unit_ids, survey_id, version_id, question_id, args.seed))
        with db.engine.begin() as connection:  # the history was tagged by the model in use
            connection.execute(update(AnswerTag).values(model_version=tagger.version))
        last_history_id = load_new_answers(db, texts, survey_id, version_id, question_id, unit_ids)

        def round_() -> tuple[float, float]:
            """One pass over the new answers, batch by batch: bare tag_many, then the worker's step on the same
            answers (first one, then the other, in turn), so both meet the same load on this shared machine."""
            with db.engine.begin() as connection:
                connection.execute(delete(AnswerTag).where(AnswerTag.answer_id > last_history_id))
            bare_s = worker_s = 0.0
            with Session(db.engine) as session:
                after = 0
                for number, first in enumerate(range(0, len(texts), args.batch)):
                    for side in ("bare", "worker") if number % 2 == 0 else ("worker", "bare"):
                        start = time.perf_counter()
                        if side == "bare":
                            tagger.tag_many(texts[first : first + args.batch])
                            bare_s += time.perf_counter() - start
                        else:
                            _, after = tagging.tag_batch(session, tagger, batch=args.batch, after=after)
                            worker_s += time.perf_counter() - start
                left = tagging.tag_pending(session, tagger, batch=args.batch)
                stored = session.scalar(
                    select(func.count()).select_from(AnswerTag).where(AnswerTag.answer_id > last_history_id)
                )
            if left or stored != len(texts):
                raise SystemExit(f"the worker stored {stored} of {len(texts)} answers, {left} left behind")
            return bare_s, worker_s

        round_()  # warm-up: models, caches, the database's pages
        rounds = [round_() for _ in range(args.repeat)]
    finally:
        db.close()
    bare_s, worker_s = sum(b for b, _ in rounds), sum(w for _, w in rounds)
    ratio = bare_s / worker_s
    tagged = len(texts) * args.repeat
    print(f"database: {db.kind}; {args.history:,} answers already tagged, {len(texts):,} new; batch {args.batch}")
    print("per round, bare / worker seconds: " + "; ".join(f"{b:.2f} / {w:.2f}" for b, w in rounds))
    print(
        f"bare tag_many: {tagged / bare_s:.0f} answers/s; worker (claim, tag, store, commit): "
        f"{tagged / worker_s:.0f} answers/s"
    )
    print(
        f"worker / bare tag_many throughput: ratio {ratio:.2f} (goal >= {GOAL}): "
        f"{'met' if ratio >= GOAL else 'NOT MET'}"
    )
    return 0 if ratio >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
