"""How fast, and in how much memory, `masthead import_disqus` takes a large export.

Generates a Disqus export with --comments comments over --threads threads
(about 30% replies, up to 4 deep, 2% spam, 1% deleted), makes one post per
thread in a throwaway data dir, then times the first import and a second run
of the same file (every comment found and left unchanged). Peak memory is the
import process's maximum resident set. Works on PostgreSQL too: set
MASTHEAD_DATABASE_URL to an empty database.

    .venv/bin/python bench/import_comments.py --comments 100000
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

MASTHEAD = str(Path(sys.executable).with_name("masthead"))
SEED = """
import datetime as dt
from django.utils import timezone
from masthead.publishing.models import Post
now = timezone.now() - dt.timedelta(days=1)
Post.objects.bulk_create(
    [Post(title=f"Post {i}", slug=f"post-{i}", status="published", published_at=now,
          legacy_url=f"https://old.example.com/p/{i}/") for i in range({threads})],
    batch_size=1000,
)
"""


def write_export(path: Path, threads: int, comments: int, rng: random.Random) -> None:
    with path.open("w") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        out.write(
            '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
        )
        for t in range(threads):
            out.write(
                f'<thread dsq:id="t{t}"><link>https://old.example.com/p/{t}/</link></thread>\n'
            )
        recent: dict[int, list[tuple[int, int]]] = {}
        for c in range(comments):
            thread = rng.randrange(threads)
            here = recent.setdefault(thread, [])
            parent = ""
            if here and rng.random() < 0.3:
                parent_id, depth = rng.choice(here)
                if depth < 4:
                    parent = f'<parent dsq:id="{parent_id}"/>'
                    here.append((c, depth + 1))
            else:
                here.append((c, 0))
            text = escape(f"<p>Comment {c} on the <b>ferry</b> timetable & the harbour.</p>")
            out.write(
                f'<post dsq:id="{c}"><message>{text}</message>'
                f"<createdAt>2015-06-01T{c % 24:02d}:{c % 60:02d}:00Z</createdAt>"
                f"<isDeleted>{'true' if rng.random() < 0.01 else 'false'}</isDeleted>"
                f"<isSpam>{'true' if rng.random() < 0.02 else 'false'}</isSpam>"
                f"<author><name>Reader {c % 500}</name><email>r{c % 500}@example.org</email>"
                f"</author><ipAddress>192.0.2.{c % 250}</ipAddress>"
                f'<thread dsq:id="t{thread}"/>{parent}</post>\n'
            )
        out.write("</disqus>\n")


def timed_import(path: Path, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [MASTHEAD, "import_disqus", str(path)], env=env, check=True, capture_output=True, text=True
    )
    return time.perf_counter() - start, done.stdout.splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="masthead-import-") as tmp:
        env = {**os.environ, "MASTHEAD_DATA_DIR": tmp}
        subprocess.run([MASTHEAD, "migrate", "-v0"], env=env, check=True)
        seed = SEED.replace("{threads}", str(args.threads))
        subprocess.run([MASTHEAD, "shell", "-c", seed], env=env, check=True, capture_output=True)
        export = Path(tmp) / "disqus.xml"
        write_export(export, args.threads, args.comments, random.Random(7))
        size = export.stat().st_size / 1e6
        first, report = timed_import(export, env)
        again, second = timed_import(export, env)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    database = (
        "PostgreSQL" if "postgres" in os.environ.get("MASTHEAD_DATABASE_URL", "") else "SQLite"
    )
    print(f"{args.comments} comments, {args.threads} threads, {size:.0f} MB, {database}")
    print(f"first import  {first:7.1f} s  {args.comments / first:8.0f} comments/s  {report}")
    print(f"second run    {again:7.1f} s  {args.comments / again:8.0f} comments/s  {second}")
    print(f"peak memory of an import: {peak:.0f} MB")


if __name__ == "__main__":
    main()
