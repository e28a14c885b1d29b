"""Queueing background work with the change that caused it."""

import logging

import pytest
from django.db import transaction
from django.utils import timezone
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


def _running(*workers, started=None) -> DBTaskResult:
    """A task row as a worker left it when it was killed mid-task."""
    row = tasks.notify_moderators.enqueue(7)
    row = DBTaskResult.objects.get(pk=row.id)
    for worker in workers:
        row.claim(worker)
    if started:
        DBTaskResult.objects.filter(pk=row.pk).update(started_at=started)
    return row


def _status(row) -> str:
    return DBTaskResult.objects.get(pk=row.pk).status


def test_the_task_a_dead_worker_was_running_is_queued_again(db):
    mine, other = _running("node-a"), _running("node-b")

    assert queue.requeue_abandoned("node-a") == (1, 0)

    assert _status(mine) == "READY"
    assert DBTaskResult.objects.ready().filter(pk=mine.pk).exists()
    assert _status(other) == "RUNNING"  # another node's worker may still be running it


def test_a_task_running_for_hours_is_taken_back_from_any_worker(db):
    row = _running("node-b", started=timezone.now() - queue.ABANDONED_AFTER * 2)

    assert queue.requeue_abandoned("node-a") == (1, 0)
    assert _status(row) == "READY"


def test_a_task_that_keeps_killing_its_worker_is_given_up(db):
    row = _running(*["node-a"] * queue.MAX_CLAIMS)

    assert queue.requeue_abandoned("node-a") == (0, 1)

    failed = DBTaskResult.objects.get(pk=row.pk)
    assert failed.status == "FAILED"
    assert failed.task_result.errors[0].exception_class == queue.WorkerLost
