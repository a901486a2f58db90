"""``make run``: gunicorn serving the app, beside the one scheduler process, stopped together."""

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description="Chạy máy chủ web và bộ lập lịch.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5000")
    parser.add_argument("--workers", default=os.environ.get("WEB_WORKERS", "2"))
    args = parser.parse_args()
    commands = [
        [
            str(BIN / "gunicorn"),
            "--workers",
            args.workers,
            "--bind",
            f"{args.host}:{args.port}",
            "--access-logfile",
            "-",
            "wsgi:app",
        ],
        [str(BIN / "flask"), "--app", "wsgi", "scheduler", "run"],
    ]
    processes = [subprocess.Popen(command) for command in commands]

    def stop(*_):
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        # When any one of them exits, stop the others: a half-running platform is worse than a stopped one.
        os.wait()
    finally:
        stop()
        for process in processes:
            process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
