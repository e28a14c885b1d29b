"""Reader-page throughput, as ratios against a trivial page served by the same stack.

Starts ``masthead serve`` on a throwaway data directory holding the demo plus a
few thousand generated posts, drives each page with wrk, and prints requests per
second and the ratio to /robots.txt (the same server, middleware and workers
doing almost nothing). Ratios travel between machines; raw figures do not.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MASTHEAD = Path(sys.executable).parent / "masthead"
REFERENCE = "/robots.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(env: dict, posts: int) -> None:
    subprocess.run([MASTHEAD, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "seed.py"), str(posts)], env=env, check=True
    )


def wait_up(url: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} never answered")


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def pages(base: str) -> dict[str, str]:
    home = urllib.request.urlopen(base + "/").read().decode()
    article = re.search(r'href="(/\d{4}/\d\d/\d\d/[^"]+/)"', home).group(1)
    return {
        "reference " + REFERENCE: REFERENCE,
        "home": "/",
        "home page 5": "/?page=5",
        "article": article,
        "category archive": "/category/news/",
        "RSS feed": "/feed/",
        "search": "/search/?q=harbour+ferry",
        "sitemap": "/sitemap.xml",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    data = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    port = free_port()
    env = {**os.environ, "MASTHEAD_DATA_DIR": str(data), "MASTHEAD_LOG_LEVEL": "WARNING"}
    env["MASTHEAD_SITE_URL"] = f"http://127.0.0.1:{port}"
    seed(env, args.posts)
    server = subprocess.Popen(
        [MASTHEAD, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base + REFERENCE)
        results = {}
        for name, path in pages(base).items():
            wrk(base + path, 1, args.connections)  # warm-up
            results[name] = wrk(base + path, args.seconds, args.connections)
        reference = results["reference " + REFERENCE]
        print(f"\n{args.posts} extra posts, {args.workers} workers, {args.connections} connections")
        print(f"{'page':<24}{'req/s':>10}{'ratio':>9}")
        for name, rate in results.items():
            print(f"{name:<24}{rate:>10.1f}{rate / reference:>9.3f}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
