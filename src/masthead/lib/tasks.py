"""Queue plumbing for background work: enqueue with the change that caused it, or at a time."""

import datetime as dt
import logging

from django.db import router, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def run_later(task_, *args, when: dt.datetime | None = None) -> None:
    """Enqueue as part of the current transaction; a rolled-back change queues nothing.

    A queue kept in the same database takes the task's row into the open
    transaction, so the change and its task commit together in one write
    (on SQLite, one turn at the write lock instead of two). Any other queue is
    told once the transaction commits.
    """
    alias = _queue_database(task_)
    if alias is None or not transaction.get_connection(alias).in_atomic_block:
        # robust: a queue that fails is logged and never undoes or breaks the caller's work.
        transaction.on_commit(lambda: enqueue_at(task_, when, *args), robust=True)
        return
    try:
        with transaction.atomic(using=alias):  # a savepoint: a failure here keeps the change
            enqueue_at(task_, when, *args)
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
