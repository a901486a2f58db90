"""Command line: python -m nlp tag | train | evaluate (see nlp/README.md)."""

import argparse
import json
import sys
import warnings

from .models import TASKS


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp")
    sub = parser.add_subparsers(dest="command", required=True)
    tag = sub.add_parser("tag", help="one answer per line on stdin → one JSON object per line")
    tag.add_argument("--model", help="model directory (default: shipped models)")
    tag.add_argument("--batch", type=int, default=256)
    train = sub.add_parser("train", help="rebuild every model, or train one task on given files")
    train.add_argument("--task", choices=TASKS)
    train.add_argument(
        "--input",
        action="append",
        default=[],
        help="TSV with a header (text, sentiment, kind, topic, topics; extra columns "
        "ignored); repeatable. Without --task these are extra rows (e.g. reviewer "
        "corrections) added to the shipped training data",
    )
    train.add_argument("--model", "--output", dest="output", help="model directory to write")
    train.add_argument("--cache", help="file keeping word segmentations between runs")
    evaluate = sub.add_parser("evaluate", help="figures of one task; the last line is JSON")
    evaluate.add_argument("--task", choices=TASKS, required=True)
    evaluate.add_argument("--input", action="append", required=True)
    evaluate.add_argument("--model", help="model directory (default: shipped models)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=UserWarning)

    if args.command == "tag":
        _tag(args.model, args.batch)
    elif args.command == "train" and args.task is None:
        from .corpus import read_rows
        from .training import MODELS_DIR, train_all

        extra = [row for path in args.input for row in read_rows(path)]
        metrics = train_all(args.output or MODELS_DIR, extra, token_cache=args.cache)
        print(json.dumps(metrics["evaluation"], ensure_ascii=False))
    elif args.command == "train":
        from .training import train_single

        if not args.input or not args.output:
            parser.error("--task needs --input and --output")
        print(json.dumps(train_single(args.task, args.input, args.output, args.cache), ensure_ascii=False))
    else:
        from .corpus import read_rows
        from .evaluation import evaluate_rows
        from .tagger import load_tagger

        rows = [row for path in args.input for row in read_rows(path)]
        print(json.dumps(evaluate_rows(load_tagger(args.model), rows, args.task), ensure_ascii=False))
    return 0


def _tag(model_dir, batch_size: int) -> None:
    from .tagger import load_tagger

    tagger = load_tagger(model_dir)
    batch = []
    for line in sys.stdin:
        batch.append(line.rstrip("\n"))
        if len(batch) >= batch_size:
            _emit(tagger.tag_many(batch))
            batch = []
    if batch:
        _emit(tagger.tag_many(batch))


def _emit(results) -> None:
    for result in results:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
