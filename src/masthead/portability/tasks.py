"""Imports started from the admin run here, in the task worker, never inside a request."""

from pathlib import Path

from django.core.cache import cache
from django_tasks import task

from masthead.portability.models import ImportRun
from masthead.portability.wxr.importer import import_wxr
from masthead.portability.wxr.parse import WxrError

PROGRESS_KEY = "portability:import-progress:{}"


def progress_of(run: ImportRun) -> int:
    """How far a running import has read its file, in percent.

    Kept in the shared cache: the run's own row is inside the import's
    transaction until it ends, where no other connection can see it change.
    """
    if run.state != ImportRun.State.RUNNING:
        return 100
    return cache.get(PROGRESS_KEY.format(run.pk), 0)


@task()
def import_uploaded_wxr(run_id: int, dry_run: bool = False) -> str:
    run = ImportRun.objects.get(pk=run_id)
    path = Path(run.stored_file or run.source)
    key, shown = PROGRESS_KEY.format(run.pk), [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        if percent != shown[0]:
            shown[0] = percent
            cache.set(key, percent, 24 * 3600)

    try:
        import_wxr(path, dry_run=dry_run, run=run, progress=progress)
    except WxrError:
        pass  # the run records the error for the page that shows it
    finally:
        if run.stored_file:
            path.unlink(missing_ok=True)
            ImportRun.objects.filter(pk=run.pk).update(stored_file="")
        cache.delete(key)
    run.refresh_from_db()
    return run.state
