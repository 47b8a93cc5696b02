"""Is PostgreSQL answering at 127.0.0.1:5432? Used by `.ci/run` to decide on the second
suite run; `--create-url` makes a fresh, empty database and prints its URL."""

from __future__ import annotations

import secrets
import sys

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def answers(url: str = ADMIN_URL) -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception:
        return False
    return True


def create_database(prefix: str = "rencai_test") -> str:
    from sqlalchemy import create_engine, text

    name = f"{prefix}_{secrets.token_hex(4)}"
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    engine.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def main(argv: list[str]) -> int:
    if not answers():
        return 1
    if "--create-url" in argv:
        print(create_database())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
