"""Never lost, never twice: a notification committed while ``rencai serve`` is up but
not yet sent survives ``kill -9``; after the restart it is sent exactly once, and later
restarts do not send it again. Each server is a real subprocess on its own SQLite file,
writing to a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Delivery, User, WorkerLease
from models.db import make_engine
from models.enums import Role
from models.migrate import upgrade
from models.notification import NotificationPreference, NotifyKind
from seed.load import load_reference
from service import notify
from service.notify import outbox
from service.settings import Settings
from service.usecases import accounts
from tests.conftest import DEMO_PASSWORD, REPO
from tests.http_fixtures import TEST_SECRET
from tests.notify.conftest import Mailbox, free_port

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def test_kill_9_between_commit_and_send_then_sent_exactly_once(
    tmp_path: Path, smtp_server: tuple[Mailbox, int]
) -> None:
    mailbox, smtp_port = smtp_server
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        user = accounts.create(
            session=session,
            username="coord",
            password=DEMO_PASSWORD,
            role=Role.COORDINATOR,
            display_name="州协调员",
        )
        session.add(NotificationPreference(user_id=user.id, email="coord@example.cn"))
        session.commit()
        user_id = user.id

    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "RENCAI_DATABASE_URL": url,
        "RENCAI_DATA_DIR": str(tmp_path / "var"),
        "RENCAI_SECRET_KEY": TEST_SECRET,
        "RENCAI_WARM_ENGINE_ON_START": "false",
        "RENCAI_SMTP_HOST": "127.0.0.1",
        "RENCAI_SMTP_PORT": str(smtp_port),
        "RENCAI_NOTIFY_LEASE_SECONDS": "2",
        "RENCAI_NOTIFY_RETRY_SECONDS": "0.2",
    }
    servers: list[subprocess.Popen[bytes]] = []

    def start(poll_seconds: float) -> subprocess.Popen[bytes]:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--port", str(port)],
            env={**env, "RENCAI_NOTIFY_POLL_SECONDS": str(poll_seconds)},
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers.append(process)
        health = f"http://127.0.0.1:{port}/api/v1/health"

        def up() -> bool:
            try:
                with urllib.request.urlopen(health, timeout=1) as response:  # nosec B310
                    return bool(response.status == 200)
            except OSError:
                return False

        wait_for(up, 120, "rencai serve to answer")
        owner_prefix = f":{process.pid}:"

        def holds_lease() -> bool:
            with Session(engine) as session:
                lease = session.get(WorkerLease, "notify")
                return lease is not None and owner_prefix in lease.owner + ":"

        wait_for(holds_lease, 30, "the new server's worker to take the lease")
        return process

    def kill(process: subprocess.Popen[bytes]) -> None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    try:
        # A worker that has done its first round and will not look again for an hour.
        first = start(poll_seconds=3600)
        notify.configure(Settings(smtp_host="127.0.0.1", smtp_port=smtp_port))
        with Session(engine) as session:
            user = session.get_one(User, user_id)
            message = outbox.render(
                NotifyKind.ENTRY_RETURNED, "/entries/1", None, title="台账", reason="缺签字"
            )
            [note] = outbox.write(session, [user], message)
            session.commit()
            delivery_id = note.deliveries[0].id
        kill(first)  # committed, never sent
        assert mailbox.messages == []

        second = start(poll_seconds=0.2)
        wait_for(lambda: len(mailbox.messages) >= 1, 30, "the e-mail after the restart")
        time.sleep(1.5)  # several more rounds
        assert mailbox.ids() == [f"<rencai-delivery-{delivery_id}@localhost>"]
        with Session(engine) as session:
            delivery = session.scalars(select(Delivery)).one()
            assert delivery.status == "sent" and delivery.attempts == 1

        kill(second)
        start(poll_seconds=0.2)
        time.sleep(1.5)
        assert len(mailbox.messages) == 1
    finally:
        for process in servers:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        notify.configure(Settings())
        engine.dispose()
