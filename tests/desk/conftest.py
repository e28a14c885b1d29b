"""Personas and held comments for the desk tests."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from masthead.discussion.models import Comment, CommentStatus
from masthead.publishing import markup

QUEUE = "/desk/moderation/"


@pytest.fixture
def desk(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def post(make_post):
    return make_post()


@pytest.fixture
def held(post):
    """A guest's comment as the services store a held one; older the later it is made."""
    ages = itertools.count(1)

    def make(body="Is the ferry running on Sundays?", status=CommentStatus.PENDING, **extra):
        extra.setdefault("post", post)
        extra.setdefault("author_name", "Nils Berg")
        extra.setdefault("author_email", "nils@example.org")
        extra.setdefault("ip_address", "203.0.113.7")
        extra.setdefault("moderation_note", "first comment from this email")
        extra.setdefault("spam_score", 0.42)
        extra.setdefault("created_at", timezone.now() - dt.timedelta(minutes=next(ages)))
        return Comment.objects.create(
            body=body, body_html=markup.render_comment(body), status=status, **extra
        )

    return make
