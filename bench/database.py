"""A fresh, migrated database for one benchmark run, removed afterwards."""

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from surveys.db import ENGINE_OPTIONS, configure_engine

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class Database:
    """A fresh, migrated database: an SQLite file, or a new PostgreSQL database on DATABASE_URL's server."""

    def __init__(self) -> None:
        self.instance = tempfile.mkdtemp(prefix="bench-summary-")
        self.server_url = os.environ.get("DATABASE_URL", "").strip()
        self.name = None
        if self.server_url:
            for prefix in ("postgres://", "postgresql://"):
                if self.server_url.startswith(prefix):
                    self.server_url = "postgresql+psycopg://" + self.server_url[len(prefix) :]
            self.name = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
            admin.dispose()
            self.url = make_url(self.server_url).set(database=self.name).render_as_string(hide_password=False)
        else:
            self.url = f"sqlite:///{Path(self.instance) / 'app.db'}"
        env = dict(os.environ, INSTANCE_PATH=self.instance, SECRET_KEY="bench")
        if self.name:
            env["DATABASE_URL"] = self.url
        else:
            env.pop("DATABASE_URL", None)
        subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        self.engine = create_engine(self.url, **ENGINE_OPTIONS)
        configure_engine(self.engine)

    @property
    def kind(self) -> str:
        return "PostgreSQL" if self.name else "SQLite"

    def close(self) -> None:
        self.engine.dispose()
        if self.name:
            admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            admin.dispose()
        shutil.rmtree(self.instance, ignore_errors=True)
