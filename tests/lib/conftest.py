"""Fixtures for the page cache and its files on disk."""

import pytest

from masthead.discussion.models import DiscussionSettings, Policy


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit, as after a real request's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def article(make_post, commit):
    """A published article whose comments are published at once."""
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"policy": Policy.HOLD_NONE})
    with commit():
        return make_post(title="Ferry timetable", body="Evening sailings double.")
