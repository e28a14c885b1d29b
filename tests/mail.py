"""A real SMTP server in this process, for tests that follow what a reader is emailed."""

import email
from email import policy
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller

from tests.ports import free_port


class Inbox:
    """What an SMTP server running in this process accepted, parsed as clients see it."""

    def __init__(self):
        self.envelopes = []
        self.controller = None
        self.reply = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reply:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    @property
    def messages(self):
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def links(message) -> list[str]:
        body = message.get_body(("plain",)).get_content()
        return [word for word in body.split() if word.startswith("http")]

    @classmethod
    def unsubscribe_path(cls, message) -> str:
        """Where List-Unsubscribe points (the header may be folded onto a second line)."""
        return cls.path(message["List-Unsubscribe"].strip().strip("<>"))

    @staticmethod
    def path(url: str) -> str:
        """The part of an absolute link the test client can follow."""
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def start(self, settings):
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        settings.EMAIL_PORT = self.controller.port

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
