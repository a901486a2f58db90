"""Command line: python -m nlp tag | train | evaluate (see nlp/README.md)."""
import argparse
import json
import sys
import warnings

from .models import TASKS, evaluate_artifact, load_artifact, read_tsv, save_artifacts, train_task
from .training import MODELS_DIR, train_default


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp")
    sub = parser.add_subparsers(dest="command", required=True)
    tag = sub.add_parser("tag", help="one answer per line on stdin → one JSON object per line")
    tag.add_argument("--model", help="model directory (default: shipped models)")
    tag.add_argument("--batch", type=int, default=256)
    train = sub.add_parser("train", help="train one task, or rebuild the shipped models")
    train.add_argument("--task", choices=TASKS)
    train.add_argument("--input", action="append", default=[],
                       help="TSV with header (text, sentiment, topic); repeatable. Without "
                            "--task these are extra rows (e.g. reviewer corrections)")
    train.add_argument("--output", help="model directory")
    evaluate = sub.add_parser("evaluate", help="print n, accuracy, macro_f1 (+ hit_rate)")
    evaluate.add_argument("--task", choices=TASKS, required=True)
    evaluate.add_argument("--input", action="append", required=True)
    evaluate.add_argument("--model", help="model directory (default: shipped models)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=UserWarning)

    if args.command == "tag":
        from .tagger import load_tagger
        tagger = load_tagger(args.model)
        batch = []
        for line in sys.stdin:
            batch.append(line.rstrip("\n"))
            if len(batch) >= args.batch:
                _emit(tagger.tag_many(batch))
                batch = []
        if batch:
            _emit(tagger.tag_many(batch))
    elif args.command == "train":
        if args.task is None:
            metrics = train_default(extra=args.input, output=args.output or MODELS_DIR)
            print(json.dumps(metrics["evaluation"], ensure_ascii=False))
        else:
            if not args.input or not args.output:
                parser.error("--task needs --input and --output")
            texts, labels = read_tsv(args.input, args.task)
            art = train_task(args.task, texts, labels, sources=args.input)
            save_artifacts({args.task: art}, args.output)
            print(json.dumps({"task": args.task, "rows": len(labels), "labels": art["labels"],
                              "output": args.output}, ensure_ascii=False))
    else:
        art = load_artifact(args.model or MODELS_DIR, args.task)
        if art is None:
            parser.error(f"no {args.task} model in {args.model or MODELS_DIR}")
        print(json.dumps(evaluate_artifact(art, *read_tsv(args.input, args.task))))
    return 0


def _emit(results) -> None:
    for result in results:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
