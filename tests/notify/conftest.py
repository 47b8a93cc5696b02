"""Fixtures for the notification tests: the shared HTTP fixtures, a real SMTP server
(aiosmtpd) and a real HTTP server standing in for a group robot."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.http_fixtures import *  # noqa: F403


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"

    def ids(self) -> list[str]:
        return [str(m["Message-ID"]) for _, m in self.messages]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@dataclass
class Robot:
    """Records each POST; answers 500 while ``fail_next`` is above zero."""

    received: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    accepted: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def robot() -> Iterator[tuple[Robot, str]]:
    state = Robot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state.lock:
                state.received.append((headers, body))
                failing = state.fail_next > 0
                if failing:
                    state.fail_next -= 1
                else:
                    state.accepted.append((headers, body))
            answer = b'{"errcode":0,"errmsg":"ok"}'
            self.send_response(500 if failing else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/robot/send?key=test"
    finally:
        server.shutdown()
        server.server_close()
