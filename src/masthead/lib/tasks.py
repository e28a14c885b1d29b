"""Queue plumbing for background work: enqueue after the commit, or at a time."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def run_later(task_, *args, when: dt.datetime | None = None) -> None:
    """Enqueue once the current transaction commits; a rolled-back change queues nothing."""
    # robust: a queue that fails is logged and never undoes or breaks the caller's work.
    transaction.on_commit(lambda: enqueue_at(task_, when, *args), robust=True)


def enqueue_at(task_, when: dt.datetime | None, *args, **kwargs) -> None:
    """Enqueue now, or for ``when`` on a backend that can wait (the immediate one cannot)."""
    if when is None or when <= timezone.now():
        task_.enqueue(*args, **kwargs)
    elif task_.get_backend().supports_defer:
        task_.using(run_after=when).enqueue(*args, **kwargs)
    else:
        logger.warning("Task backend cannot defer; %s not queued for %s", task_.name, when)
