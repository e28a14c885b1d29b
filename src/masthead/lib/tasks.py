"""Queue plumbing for background work: enqueue with the change that caused it, or at a
time; take back what a killed worker left running."""

import datetime as dt
import logging

from django.db import router, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus

logger = logging.getLogger(__name__)


def run_later(task_, *args, when: dt.datetime | None = None, **kwargs) -> None:
    """Enqueue as part of the current transaction; a rolled-back change queues nothing.

    A queue kept in the same database takes the task's row into the open
    transaction, so the change and its task commit together in one write
    (on SQLite, one turn at the write lock instead of two). Any other queue is
    told once the transaction commits.
    """
    alias = _queue_database(task_)
    if alias is None or not transaction.get_connection(alias).in_atomic_block:
        # robust: a queue that fails is logged and never undoes or breaks the caller's work.
        transaction.on_commit(lambda: enqueue_at(task_, when, *args, **kwargs), robust=True)
        return
    try:
        with transaction.atomic(using=alias):  # a savepoint: a failure here keeps the change
            enqueue_at(task_, when, *args, **kwargs)
    except Exception:
        logger.exception("Could not queue %s", task_.name)


def _queue_database(task_) -> str | None:
    """The database alias a database-backed queue keeps its tasks in, else None."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_.get_backend(), DatabaseBackend):
        return None
    return router.db_for_write(DBTaskResult)


def enqueue_at(task_, when: dt.datetime | None, *args, **kwargs) -> None:
    """Enqueue now, or for ``when`` on a backend that can wait (the immediate one cannot)."""
    if when is None or when <= timezone.now():
        task_.enqueue(*args, **kwargs)
    elif task_.get_backend().supports_defer:
        task_.using(run_after=when).enqueue(*args, **kwargs)
    else:
        logger.warning("Task backend cannot defer; %s not queued for %s", task_.name, when)


# A task its workers died running this often is taken to be what kills them.
MAX_CLAIMS = 3
# Longer than any of Masthead's tasks runs: such a task's worker is gone, wherever it ran.
ABANDONED_AFTER = dt.timedelta(hours=6)


class WorkerLost(Exception):
    """The worker running the task stopped without finishing it."""


def requeue_abandoned(worker_id: str) -> tuple[int, int]:
    """Queue again the tasks a dead worker was running; (requeued, failed).

    django-tasks-db marks a task RUNNING when a worker claims it and never looks
    at it again, so a worker killed mid-task (SIGKILL, out of memory, power cut)
    leaves it unfinished for good. ``worker_id`` names the worker about to start
    in its predecessor's place: whatever still runs under that id was that
    predecessor's. Call it only while no worker of that id runs.
    """
    from django_tasks_db.models import DBTaskResult

    stale = timezone.now() - ABANDONED_AFTER
    abandoned = [
        row
        for row in DBTaskResult.objects.running().only("worker_ids", "started_at")
        if row.worker_ids[-1:] == [worker_id] or (row.started_at and row.started_at < stale)
    ]
    again = [row.pk for row in abandoned if len(row.worker_ids) < MAX_CLAIMS]
    given_up = [row.pk for row in abandoned if len(row.worker_ids) >= MAX_CLAIMS]
    running = DBTaskResult.objects.running()
    requeued = running.filter(pk__in=again).update(status=TaskResultStatus.READY, started_at=None)
    failed = running.filter(pk__in=given_up).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{__name__}.{WorkerLost.__name__}",
        traceback=f"Its worker stopped while running it, {MAX_CLAIMS} times.",
    )
    if requeued or failed:
        logger.warning("Tasks a stopped worker left: %d queued again, %d failed", requeued, failed)
    return requeued, failed
