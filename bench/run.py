"""Reader pages and guest comments, measured against the speed issue's targets.

Seeds a throwaway data directory, starts ``masthead serve`` and, in the same
run, nginx sending the same article's bytes from disk. Rates are read as a
share of that nginx figure: it is what this machine does for the page with no
application in the way, so the ratios travel between machines where raw
figures do not. bench/README.md explains each row and its target.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import comments
import nginx
import wrk
from server import Server

ROOT = Path(__file__).resolve().parent.parent
MASTHEAD = Path(sys.executable).parent / "masthead"
# Lines in the server's log that mean trouble, whatever the replies said.
LOG_ALARMS = ("database is locked", "Traceback", "WORKER TIMEOUT")


@dataclass
class Row:
    name: str
    result: wrk.Result | None = None
    note: str = ""
    # False for rows not driven like the reference (other client or connections).
    comparable: bool = True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(env: dict, posts: int) -> dict:
    started = time.monotonic()
    subprocess.run([MASTHEAD, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "seed.py"), str(posts)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"seeded in {time.monotonic() - started:.1f} s", flush=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# Short names for --only, in the order the rows run.
ROW_KEYS = ("nginx", "a50", "a500", "front", "miss", "home", "feed", "sitemap", "posts")


def measure(rows: list[Row], name: str, how: Callable[[], wrk.Result], **extra) -> None:
    print(f"  {name} …", flush=True)
    try:
        rows.append(Row(name, how(), **extra))
    except RuntimeError as exc:
        rows.append(Row(name, note=str(exc)[:200], **extra))


def page_rows(server: Server, seeded: dict, args, workdir: Path, env: dict) -> list[Row]:
    rows: list[Row] = []
    a50, a500 = seeded["article_50"], seeded["article_500"]
    wanted = set(args.only)

    def load(base: str, path: str) -> Callable[[], wrk.Result]:
        def run() -> wrk.Result:
            server.settle()
            return wrk.run(base + path, args.seconds, args.connections)

        return run

    if "nginx" in wanted:
        port = free_port()
        static = nginx.static(server.get(a50), port, workdir / "nginx-static")
        try:
            name = "nginx static: 50-comment article"
            measure(rows, name, load(f"http://127.0.0.1:{port}", a50))
        finally:
            static.stop()
    if "a50" in wanted:
        measure(rows, "article, 50 comments", load(server.base, a50))
    if "a500" in wanted:
        measure(rows, "article, 500 comments", load(server.base, a500))
    if "front" in wanted:
        front_row(rows, server, a50, load, workdir, env)

    def miss() -> wrk.Result:
        server.settle()
        return wrk.run_distinct(server.base + a500, args.seconds, workdir)

    if "miss" in wanted:
        measure(rows, "cache-miss render, 500 comments (1 conn)", miss, comparable=False)
    for key, name, path in (
        ("home", "home page", "/"),
        ("feed", "RSS feed /feed/", "/feed/"),
        ("sitemap", "sitemap /sitemap.xml", "/sitemap.xml"),
    ):
        if key in wanted:
            measure(rows, name, load(server.base, path))
    return rows


def front_row(rows: list[Row], server: Server, a50: str, load, workdir: Path, env: dict) -> None:
    name, port = "article, 50 comments, generated nginx", free_port()
    front = nginx.generated_front(MASTHEAD, env, port, server.port, workdir / "nginx-front")
    if isinstance(front, str):
        rows.append(Row(name, note=front))
        return
    try:
        measure(rows, name, load(f"http://127.0.0.1:{port}", a50))
    finally:
        front.stop()


def comment_rows(server: Server, seeded: dict, args, env: dict) -> tuple[Row, list[str]]:
    clients = comments.PROCESSES * comments.THREADS
    name = f"guest comment POSTs ({clients} clients)"
    print(f"  {name} …", flush=True)
    post_id, token = seeded["fresh_id"], seeded["form_token"]
    server.settle()
    # The warm-up's comments count for lost and duplicated, not for the rate.
    warm = comments.run(server.port, server.base, post_id, token, wrk.WARM_UP_SECONDS, octet=96)
    samples = comments.run(server.port, server.base, post_id, token, max(args.seconds, 10))
    outcome = comments.summarise(samples, warm, comments.stored_comments(env, post_id))
    failed = sum(n for status, n in outcome.statuses.items() if not 200 <= status < 400)
    result = wrk.Result(outcome.rate, outcome.p50_ms, outcome.p99_ms)
    note = f"{failed} not acknowledged" if failed else ""
    return Row(name, result, note, comparable=False), outcome.report


def print_table(rows: list[Row]) -> None:
    first = rows[0] if rows and rows[0].name.startswith("nginx static") else None
    reference = first.result.rate if first and first.result else None
    print(f"\n{'':<42}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>8}")
    for row in rows:
        if row.result is None:
            print(f"{row.name:<42}{'':>36}  {row.note}".rstrip())
            continue
        r = row.result
        ratio = f"{r.rate / reference:.3f}" if reference and row.comparable else "-"
        note = "  ".join(n for n in (r.failures, row.note) if n)
        line = f"{row.name:<42}{r.rate:>10.1f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{ratio:>8}  {note}"
        print(line.rstrip())


def _row_keys(text: str) -> tuple[str, ...]:
    keys = tuple(key.strip() for key in text.split(",") if key.strip())
    unknown = [key for key in keys if key not in ROW_KEYS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown rows {unknown}; choose from {ROW_KEYS}")
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=1000, help="generated posts (1000)")
    parser.add_argument("--seconds", type=int, default=10, help="per row, after a 2 s warm-up")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (serve's default)")
    parser.add_argument("--skip-posts", action="store_true", help="no comment POST run")
    parser.add_argument(
        "--only",
        type=_row_keys,
        default=ROW_KEYS,
        metavar="ROWS",
        help=f"comma-separated rows to run, of: {','.join(ROW_KEYS)} (all)",
    )
    args = parser.parse_args()
    if args.skip_posts:
        args.only = tuple(key for key in args.only if key != "posts")
    for tool, package in (("wrk", "wrk"), (nginx.NGINX, "nginx")):
        if not tool or not shutil.which(tool):
            raise SystemExit(f"bench needs {package}: apt-get install {package}")

    top = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    top.chmod(0o755)  # nginx workers, unprivileged, read the files below it
    port = free_port()
    env = {
        **os.environ,
        "MASTHEAD_DATA_DIR": str(top / "data"),
        "MASTHEAD_LOG_LEVEL": "WARNING",
        "MASTHEAD_SITE_URL": f"http://127.0.0.1:{port}",
    }
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, top, ignore_errors=True)
        seeded = seed(env, args.posts)
        server = Server(MASTHEAD, env, port, args.workers, top / "server.log")
        cleanup.callback(server.stop)
        server.wait_up()
        workers = len(server.workers())
        print(
            f"cores {os.cpu_count()}, masthead serve workers {workers}, "
            f"wrk 2 threads x {args.connections} connections, {args.seconds} s a row",
            flush=True,
        )
        rows = page_rows(server, seeded, args, top, env)
        report = []
        if "posts" in args.only:
            row, report = comment_rows(server, seeded, args, env)
            rows.append(row)
        peaks = server.peak_rss_mb()
        alarms = {text: server.log_count(text) for text in LOG_ALARMS}

    print_table(rows)
    print()
    for line in report:
        print(line)
    print("server log: " + ", ".join(f'"{text}" x{n}' for text, n in alarms.items()))
    if peaks:
        mean = sum(peaks) / len(peaks)
        print(
            f"peak RSS per gunicorn worker (VmHWM, {len(peaks)} workers): "
            f"max {max(peaks):.0f} MB, mean {mean:.0f} MB"
        )
    print(f"cores (os.cpu_count()): {os.cpu_count()}, workers: {workers}")


if __name__ == "__main__":
    main()
