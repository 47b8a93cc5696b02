"""The outside channels. A send returns only once the channel accepted the message and
raises otherwise; each message carries the delivery id (SMTP ``Message-ID``, webhook
``Idempotency-Key``) so a receiver can drop a duplicate after a crash."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol

TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class Outgoing:
    """One message to send: ``key`` identifies it for the receiver's de-duplication."""

    key: str
    target: str
    subject: str
    text: str


class SendError(Exception):
    """The channel did not accept the message; the text says why."""


class Sender(Protocol):
    def send(self, message: Outgoing) -> None: ...


def message_id(key: str, sender: str) -> str:
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<{key}@{domain}>"


class SmtpSender:
    def __init__(self, settings: Any) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.user = settings.smtp_user
        self.password = settings.smtp_password
        self.sender = settings.smtp_from
        self.starttls = settings.smtp_starttls

    def send(self, message: Outgoing) -> None:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.target
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail["Message-ID"] = message_id(message.key, self.sender)
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                refused = smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"SMTP {self.host}:{self.port}: {exc}") from exc
        if refused:
            raise SendError(f"SMTP {self.host}:{self.port} refused {sorted(refused)}")


class WebhookSender:
    """企业微信/钉钉 group robots and SMS gateways: POST ``{"msgtype":"text",…}``. A 2xx
    answer whose JSON carries a non-zero ``errcode`` (how the robots refuse) fails."""

    def send(self, message: Outgoing) -> None:
        if not message.target.startswith(("http://", "https://")):
            raise SendError(f"webhook URL {message.target!r}: expected http:// or https://")
        content = f"{message.subject}\n{message.text}"
        body = json.dumps(
            {"msgtype": "text", "text": {"content": content}}, ensure_ascii=False
        ).encode("utf-8")
        request = urllib.request.Request(
            message.target,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Idempotency-Key": message.key,
                "X-Request-Id": message.key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # nosec B310
                answer = response.read(4096)
        except urllib.error.HTTPError as exc:
            raise SendError(f"webhook answered HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SendError(f"webhook unreachable: {exc}") from exc
        _check_robot_answer(answer)


def _check_robot_answer(answer: bytes) -> None:
    try:
        data = json.loads(answer) if answer.strip() else None
    except ValueError:
        return  # an SMS gateway may answer in plain text; 2xx is acceptance
    if isinstance(data, dict) and data.get("errcode") not in (None, 0):
        raise SendError(f"webhook refused: errcode {data.get('errcode')} {data.get('errmsg', '')}")
