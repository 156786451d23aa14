"""E-mail through SMTP (aiosmtplib): `TSUNAGU_SMTP_URL` and the message a notice becomes.

`smtp://host:25` sends in the clear (a relay on the same host or network), `smtp+starttls://
host:587` upgrades with STARTTLS and `smtps://host:465` speaks TLS from the start; a
`user:password@` part logs in. The delivery id is the Message-ID, so a re-sent message after
a crash is recognisably the same message.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from registry.clock import Clock, utc_now
from registry.errors import InvalidInput
from registry.notices.models import Delivery
from registry.notices.sending import DeliveryError
from registry.problems import Text

SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+starttls": (False, True, 587),
    "smtps": (True, False, 465),
}


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    use_tls: bool
    start_tls: bool
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpTarget:
    """The server behind `TSUNAGU_SMTP_URL`; a malformed URL is `invalid-setting`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _bad(Text(f"形式が不正です（{exc}）", f"malformed ({exc})")) from exc
    if parts.scheme not in SCHEMES:
        schemes = "smtp://, smtp+starttls://, smtps://"
        raise _bad(Text(f"{schemes} のいずれかを使ってください", f"use {schemes}"))
    if not parts.hostname:
        raise _bad(Text("ホストがありません", "it has no host"))
    use_tls, start_tls, default_port = SCHEMES[parts.scheme]
    return SmtpTarget(
        host=parts.hostname,
        port=port or default_port,
        use_tls=use_tls,
        start_tls=start_tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _bad(reason: Text) -> InvalidInput:
    return InvalidInput("invalid-setting", name="TSUNAGU_SMTP_URL", reason=reason)


def mail_domain(mail_from: str) -> str:
    return mail_from.rpartition("@")[2] or "localhost"


def notice_message(delivery: Delivery, mail_from: str, clock: Clock = utc_now) -> EmailMessage:
    """Plain-text UTF-8 with `Date`, a `Message-ID` made of the delivery id and
    `Auto-Submitted: auto-generated` (RFC 3834), so auto-responders stay quiet."""
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = delivery.recipient
    message["Subject"] = delivery.subject
    message["Date"] = email.utils.format_datetime(clock())
    message["Message-ID"] = f"<{delivery.id}@{mail_domain(mail_from)}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Tsunagu-Notice"] = delivery.kind
    message.set_content(delivery.body, charset="utf-8")
    return message


class SmtpSender:
    """Sends e-mail deliveries; every refusal or outage becomes a `DeliveryError`."""

    def __init__(self, target: SmtpTarget, mail_from: str, timeout: float) -> None:
        self._target = target
        self._from = mail_from
        self._timeout = timeout

    async def send(self, delivery: Delivery) -> None:
        target = self._target
        try:
            await aiosmtplib.send(
                notice_message(delivery, self._from),
                hostname=target.host,
                port=target.port,
                username=target.username,
                password=target.password,
                use_tls=target.use_tls,
                start_tls=target.start_tls,
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"recipient refused: {exc}", permanent=_permanent(exc)) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:  # outage, 4xx, login: try again later
            raise DeliveryError(f"SMTP: {exc}") from exc


def _permanent(exc: aiosmtplib.SMTPRecipientsRefused) -> bool:
    return all(error.code >= 500 for error in exc.recipients)
