import datetime as dt

import pytest
from django.utils import timezone

from masthead.publishing import services, signals
from masthead.publishing.models import Status


@pytest.fixture
def heard():
    """Every publication event sent while the test runs, as (name, post title)."""
    events = []
    receivers = {}
    for name in ("post_published", "post_updated", "post_unpublished"):

        def receiver(sender, post, _name=name, **kwargs):
            events.append((_name, post.title))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield events
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def test_publishing_a_draft_is_announced_once(make_post, heard):
    post = make_post(title="Ferry returns", status=Status.DRAFT, published_at=None)
    assert heard == []
    services.publish(post)
    services.save_post(post)  # saved again with nothing changed
    assert heard == [("post_published", "Ferry returns")]


def test_a_change_readers_see_is_an_update_and_a_quiet_save_is_not(make_post, heard):
    post = make_post(title="Ferry returns")
    heard.clear()
    services.save_post(post, sticky=True)
    assert heard == []
    services.save_post(post, title="Ferry returns on Monday")
    assert heard == [("post_updated", "Ferry returns on Monday")]


def test_back_to_draft_and_deleting_are_unpublishing(make_post, heard):
    post = make_post(title="Ferry returns")
    other = make_post(title="Bridge closes")
    heard.clear()
    services.save_post(post, status=Status.DRAFT)
    other.delete()
    post.delete()  # a draft going away was not public: nothing to say
    assert heard == [("post_unpublished", "Ferry returns"), ("post_unpublished", "Bridge closes")]


def test_a_scheduled_post_is_announced_when_its_time_comes_once(
    make_post, heard, time_machine, run_worker
):
    soon = timezone.now() + dt.timedelta(hours=2)
    post = make_post(title="Budget day", published_at=soon)
    services.save_post(post, excerpt="What the budget holds.")  # a second wake-up is queued
    run_worker()
    assert heard == []
    time_machine.move_to(soon + dt.timedelta(minutes=1))
    run_worker()
    assert heard == [("post_published", "Budget day")]


def test_a_scheduled_post_taken_back_is_never_announced(make_post, heard, time_machine, run_worker):
    soon = timezone.now() + dt.timedelta(hours=2)
    post = make_post(title="Budget day", published_at=soon)
    services.save_post(post, status=Status.DRAFT)
    time_machine.move_to(soon + dt.timedelta(minutes=1))
    run_worker()
    assert heard == []
