"""Regenerate docs/bao-cao-tuan-mau-1.png, -2.png…: the pages of the demo week's DOCX report.

A throw-away SQLite database gets the demo data (`flask demo load`); the demo week is summarised
as the scheduler would (tagging with the shipped models first); the DOCX is downloaded by the
head of Sở Nội vụ through the real route; LibreOffice prints it to PDF and pdftoppm renders the
pages. Needs Debian's libreoffice-writer and poppler-utils (`make report-tools`).

    .venv/bin/python docs/render_report_sample.py [--week 2026-W48] [--output docs/bao-cao-tuan-mau]
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCOPE = "08.SNV"
READER = "giamdoc.snv@demo.gov.vn"


def demo_week_docx(instance: Path, week: str | None) -> bytes:
    os.environ["INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from surveys import demo
    from surveys.timeutil import iso_week_label, local_today
    from webapp import create_app
    from webapp.extensions import db
    from webapp.summaries.delivery import run_summaries

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'demo.db'}", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        demo.load(db.session)  # the demo's answers arrive now: its week is this one
        db.session.commit()
        [summary] = run_summaries(
            app, db.session, week or iso_week_label(local_today()), scope_code=SCOPE, send_mail=False
        )
        db.session.commit()
        summary_id = summary.id
    client = app.test_client()  # on BASE_URL, so the link in the report is the one a reader gets
    base = app.config["BASE_URL"]
    signed_in = client.post("/login", data={"login": READER, "password": demo.DEMO_PASSWORD}, base_url=base)
    assert signed_in.status_code == 302, "the demo unit head could not sign in"
    response = client.get(f"/summaries/{summary_id}.docx", base_url=base)
    assert response.status_code == 200, response.status
    return response.data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", help="ISO week to summarise (default: the demo's, i.e. this week)")
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "bao-cao-tuan-mau",
        help="where the pages go: OUTPUT-1.png, OUTPUT-2.png…",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-sample-") as folder:
        work = Path(folder)
        content = demo_week_docx(work, arguments.week)
        from surveys.reports import docx_to_pdf  # after create_app: INSTANCE_PATH is set

        (work / "report.pdf").write_bytes(docx_to_pdf(content))
        for old_page in arguments.output.parent.glob(f"{arguments.output.name}-*.png"):
            old_page.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(work / "report.pdf"), str(arguments.output)], check=True)
    print(f"Đã ghi {arguments.output}-*.png")


if __name__ == "__main__":
    main()
