"""Queueing background work with the change that caused it."""

import logging

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from masthead.discussion import tasks
from masthead.discussion.models import Subscription
from masthead.lib import tasks as queue


def test_a_database_queue_takes_the_task_into_the_open_transaction(db):
    with transaction.atomic():
        queue.run_later(tasks.notify_moderators, 7)
        assert DBTaskResult.objects.filter(task_path__endswith="notify_moderators").exists()


def test_a_queue_that_fails_keeps_the_change_that_asked(db, monkeypatch, caplog):
    def broken(*args, **kwargs):
        DBTaskResult.objects.create(task_path="half.written", args_kwargs={})
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(queue, "enqueue_at", broken)
    with caplog.at_level(logging.ERROR), transaction.atomic():
        Subscription.objects.create(email="reader@example.org")
        queue.run_later(tasks.notify_moderators, 7)

    assert Subscription.objects.filter(email="reader@example.org").exists()
    assert not DBTaskResult.objects.filter(task_path="half.written").exists()
    assert "Could not queue" in caplog.text


@pytest.mark.usefixtures("db")
def test_any_other_queue_is_told_after_the_commit(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks() as callbacks:
        queue.run_later(tasks.notify_moderators, 7)

    assert len(callbacks) == 1
