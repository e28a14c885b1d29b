"""``masthead serve``: the production web server plus the background worker."""

import argparse
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time


def _parse(argv):
    cpus = os.cpu_count() or 1
    parser = argparse.ArgumentParser(prog="masthead serve", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("MASTHEAD_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("MASTHEAD_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=min(2 * cpus + 1, 8))
    parser.add_argument(
        "--access-log",
        metavar="FILE",
        default=os.environ.get("MASTHEAD_ACCESS_LOG", ""),
        help="log every request to FILE ('-' for the terminal); off by default, as it "
        "halves the requests a node answers and a front server keeps its own",
    )
    parser.add_argument(
        "--no-task-worker",
        action="store_true",
        help="do not start a background task worker (run `masthead db_worker` elsewhere)",
    )
    return parser.parse_args(argv)


def serve(argv: list[str]) -> int:
    args = _parse(argv)
    import django
    from django.core.management import call_command

    django.setup()
    # Hashed static names are what let whitenoise cache them forever.
    call_command("collectstatic", interactive=False, verbosity=0)
    _warn_unapplied_migrations()
    from masthead.lib import pagefiles

    # Pages on disk for a front server expire by time only while this runs.
    _run_tick(pagefiles.sweep)

    python = sys.executable
    web = [
        python, "-m", "gunicorn", "masthead.wsgi:application",
        "--bind", f"{args.host}:{args.port}",
        "--workers", str(args.workers),
        "--forwarded-allow-ips", os.environ.get("MASTHEAD_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        *(["--access-logfile", args.access_log] if args.access_log else []),
    ]  # fmt: skip
    children = [subprocess.Popen(web)]
    if not args.no_task_worker:
        from masthead.lib.tasks import requeue_abandoned

        worker = node_worker_id()
        requeue_abandoned(worker)
        children.append(
            subprocess.Popen([python, "-m", "masthead.cli", "db_worker", "--worker-id", worker])
        )
    print(f"Masthead is serving http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    return _supervise(
        children, chores=None if args.no_task_worker else HOUSEKEEPING, tick=pagefiles.sweep
    )


def node_worker_id() -> str:
    """The same id for this node's task worker every time it starts (host and data
    directory), so tasks a killed one left RUNNING can be told from another node's."""
    from django.conf import settings

    where = hashlib.sha256(str(settings.DATA_DIR).encode()).hexdigest()[:12]
    return f"{socket.gethostname()[:48]}:{where}"


# Daily chores of the node that runs the worker: forget commenters' addresses
# past their keeping time, old task results (which hold email addresses), and old
# records of Fediverse and webhook deliveries.
HOUSEKEEPING = (
    ("purge_commenter_data",),
    ("prune_db_task_results", "--min-age-days", "7"),
    ("prune_fediverse_deliveries",),
    ("prune_webhook_deliveries",),
)
DAY = 24 * 3600
TICK = 5


def _run_chores(chores) -> None:
    for chore in chores:
        subprocess.Popen([sys.executable, "-m", "masthead.cli", *chore, "-v0"])


def _supervise(children, chores=None, tick=None) -> int:
    """Wait for the first child to exit, then stop the others; run chores daily
    and ``tick`` every few seconds. Exits as that child did, unless asked to stop."""
    asked = []

    def stop(signum, frame):
        if signum is not None:
            asked.append(signum)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = None
    next_chores = time.monotonic() + 60
    next_tick = time.monotonic() + TICK
    while code is None:
        if chores and time.monotonic() >= next_chores:
            _run_chores(chores)
            next_chores += DAY
        if tick and time.monotonic() >= next_tick:
            _run_tick(tick)
            next_tick = time.monotonic() + TICK
        for child in children:
            try:
                child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue
            code = child.returncode
            break
    stop(None, None)
    for child in children:
        child.wait()
    if code < 0 and not asked:
        # Killed by a signal (the OOM killer, an operator): a failure, so that
        # Restart=on-failure, or any service manager, starts the node again.
        return 128 - code
    return code if code > 0 else 0


def _run_tick(tick) -> None:
    try:
        tick()
    except Exception as exc:  # the server keeps running; the next tick tries again
        print(f"Warning: {tick.__module__}.{tick.__name__} failed: {exc!r}", file=sys.stderr)


def _warn_unapplied_migrations() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("Warning: unapplied migrations; run `masthead migrate`.", file=sys.stderr)
