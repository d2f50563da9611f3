"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the e-mail tests."""
from __future__ import annotations

import email
import socket
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


class Outbox:
    """What the server received, as parsed messages."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=default))
        return "250 Message accepted for delivery"

    def only(self, to: str) -> EmailMessage:
        """The one message sent to `to`; fails when there is none or several."""
        found = [message for message in self.messages if message["To"] == to]
        assert len(found) == 1, f"{len(found)} messages to {to}: {[m['Subject'] for m in self.messages]}"
        return found[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp_server() -> tuple[Controller, Outbox]:
    outbox = Outbox()
    controller = Controller(outbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, outbox
