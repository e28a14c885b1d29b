"""A real SMTP server, task backends and comment factories for the discussion tests."""

import email
import signal
from email import policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from masthead.discussion import (
    notifications,  # noqa: F401  (its receivers must be connected)
    services,
)
from masthead.discussion.models import Comment
from masthead.publishing import markup
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


@pytest.fixture
def smtp(settings):
    """Django sends through a real SMTP server on 127.0.0.1; ``smtp.stop()`` takes it down."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    inbox = Inbox()
    inbox.start(settings)
    yield inbox
    inbox.stop()


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are enqueued (django-tasks resets its backends on the change)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def run_worker():
    """Run the database worker until nothing is ready, as ``masthead serve`` would."""

    def run():
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", verbosity=0)
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)

    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as a real request would after its transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def make_comment(hold_all, make_post, django_capture_on_commit_callbacks):
    """A guest comment through the services: held, then approved unless told otherwise.

    Each step commits on its own as separate requests would, so what waits for
    the commit (signals, queued tasks) runs in between. Don't wrap in ``on_commit``.
    """
    bodies = iter(range(1, 10_000))
    committed = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731

    def make(post=None, *, name="Ines", email="ines@example.org", parent=None, approve=True):
        submission = services.Submission(
            post=post or make_post(),
            body=f"Comment number {next(bodies)} about the harbour ferry timetable.",
            author_name=name,
            author_email=email,
            parent=parent,
            form_age=10,
        )
        with committed():
            comment = services.submit_comment(submission)
        if approve:
            with committed():
                services.approve_comment(comment)
        return comment

    return make


@pytest.fixture
def say(post):
    """A guest's comment, stored as the services would store it, in the status asked for."""

    def say(body="Good piece.", name="Nils Berg", email="nils@example.org", **extra):
        parent = extra.get("parent")
        extra.setdefault("post", post)
        extra.setdefault("ip_address", "203.0.113.7")
        return Comment.objects.create(
            body=body,
            body_html=markup.render_comment(body),
            author_name=name,
            author_email=email,
            depth=parent.depth + 1 if parent else 0,
            **extra,
        )

    return say
