"""Task backends and comment factories for the discussion tests."""

import pytest

from masthead.discussion import (
    notifications,  # noqa: F401  (its receivers must be connected)
    services,
)
from masthead.discussion.models import Comment
from masthead.publishing import markup


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are enqueued (django-tasks resets its backends on the change)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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
            target=post or make_post(),
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
