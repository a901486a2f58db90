"""Throughput of the full tagger versus underthesea.word_tokenize alone.

Usage: .venv/bin/python bench/nlp_throughput.py [--n 3000] [--model DIR]
Texts: UIT-VSFC dev (if present) + nlp/data/domain_eval.tsv, repeated with small
variations up to --n answers.
"""
import argparse
import resource
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore")

from underthesea import word_tokenize  # noqa: E402

from nlp.models import read_tsv  # noqa: E402
from nlp.training import DOMAIN_EVAL, UIT_DIR  # noqa: E402

SUFFIXES = ["", " Mong được quan tâm.", " Cảm ơn.", " ko hài lòng lắm", " Đề nghị xem xét."]


def build_texts(n: int) -> list[str]:
    base = read_tsv([DOMAIN_EVAL], "sentiment")[0]
    if (UIT_DIR / "dev.tsv").exists():
        base += read_tsv([UIT_DIR / "dev.tsv"], "sentiment")[0]
    return [base[i % len(base)] + SUFFIXES[(i // len(base)) % len(SUFFIXES)] for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--model", help="model directory (default: shipped models)")
    args = parser.parse_args()
    texts = build_texts(args.n)

    start = time.perf_counter()
    from nlp import load_tagger
    tagger = load_tagger(args.model)
    load_seconds = time.perf_counter() - start

    tagger.tag_many(texts[:200])  # warm-up both paths
    for t in texts[:200]:
        word_tokenize(t)

    start = time.perf_counter()
    for t in texts:
        word_tokenize(t)
    tokenize_rate = len(texts) / (time.perf_counter() - start)

    start = time.perf_counter()
    for i in range(0, len(texts), 500):
        tagger.tag_many(texts[i:i + 500])
    tag_rate = len(texts) / (time.perf_counter() - start)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"answers: {len(texts)}")
    print(f"load_tagger (after imports): {load_seconds:.2f} s")
    print(f"word_tokenize only: {tokenize_rate:.0f} answers/s")
    print(f"tag_many (full pipeline): {tag_rate:.0f} answers/s")
    print(f"ratio tag_many / word_tokenize: {tag_rate / tokenize_rate:.2f}")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
