"""WXR import throughput and memory: a generated export of posts and threaded comments.

    .venv/bin/python bench/wxr_import.py [--posts 10000] [--comments 100000] [--scale 1 2]
        [--postgres postgres://postgres@127.0.0.1:5432/bench_wxr]

Each import runs in a fresh process on a fresh database (``masthead migrate`` then
``masthead import_wxr``), so peak RSS is the import's own. Targets: 5,000 comments
a second on SQLite, peak RSS under 500 MB whatever the file's size.
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

ROOT = Path(__file__).resolve().parent.parent
MASTHEAD = ROOT / ".venv" / "bin" / "masthead"
WORDS = [
    "harbour",
    "council",
    "ferry",
    "budget",
    "school",
    "river",
    "winter",
    "market",
    "bridge",
    "library",
    "vote",
    "strike",
    "festival",
    "station",
    "archive",
    "printer",
    "weather",
    "orchard",
    "quarry",
    "lantern",
]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_export(path: Path, posts: int, comments: int, seed: int = 7) -> None:
    """Posts of four paragraphs and a caption; comments spread evenly, a third replies."""
    rng = random.Random(seed)
    per_post = comments // posts
    comment_id = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
            "\n<channel><title>Bench</title><link>https://bench.example</link>"
            "<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://bench.example"
            "</wp:base_blog_url>\n<wp:author><wp:author_login>desk</wp:author_login>"
            "<wp:author_display_name>The Desk</wp:author_display_name></wp:author>\n"
        )
        for n in ("news", "sport", "culture"):
            out.write(
                f"<wp:category><wp:term_id>{len(n)}</wp:term_id><wp:category_nicename>{n}"
                f"</wp:category_nicename><wp:cat_name>{n.title()}</wp:cat_name></wp:category>\n"
            )
        for post_id in range(1, posts + 1):
            day = f"20{10 + post_id % 15:02d}-{1 + post_id % 12:02d}-{1 + post_id % 28:02d}"
            body = "\n\n".join(_sentence(rng, 30) for _ in range(4))
            body += f'\n\n[caption id="" width="300"]<img src="https://bench.example/{post_id}.jpg"'
            body += f' alt="Photo {post_id}" /> {_sentence(rng, 6)}[/caption]'
            out.write(
                f"<item><title>Story {post_id}</title><link>https://bench.example/"
                f"{day.replace('-', '/')}/story-{post_id}/</link><dc:creator>desk</dc:creator>"
                "<content:encoded><![CDATA["
                f"{body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{day} 09:00:00</wp:post_date>"
                f"<wp:post_date_gmt>{day} 08:00:00</wp:post_date_gmt><wp:comment_status>open"
                f"</wp:comment_status><wp:post_name>story-{post_id}</wp:post_name><wp:status>publish"
                "</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>"
                '<wp:is_sticky>0</wp:is_sticky><category domain="category" nicename="news">'
                "<![CDATA[News]]></category>\n"
            )
            first = comment_id + 1
            for _ in range(per_post):
                comment_id += 1
                parent = (
                    rng.randrange(first, comment_id)
                    if comment_id > first and rng.random() < 0.34
                    else 0
                )
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id><wp:comment_author>"
                    f"Reader {comment_id % 997}</wp:comment_author><wp:comment_author_email>"
                    f"reader{comment_id % 997}@example.org</wp:comment_author_email>"
                    f"<wp:comment_author_IP>203.0.113.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>{day} 10:{comment_id % 60:02d}:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[<p>{_sentence(rng, 25)}</p>\n<p>"
                    f"{_sentence(rng, 12)} <em>really</em>.</p>]]></wp:comment_content>"
                    f"<wp:comment_approved>{1 if comment_id % 10 else 0}</wp:comment_approved>"
                    f"<wp:comment_type></wp:comment_type><wp:comment_parent>{parent}"
                    "</wp:comment_parent></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def _empty_postgres(url: str) -> None:
    """Drop everything in the bench database, so each import starts from a fresh schema."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_import(export: Path, database_url: str | None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (with the render workers) and peak RSS in MB of one import."""
    data_dir = tempfile.mkdtemp(prefix="bench-wxr-")
    env = {**os.environ, "MASTHEAD_DATA_DIR": data_dir}
    if database_url:
        env["MASTHEAD_DATABASE_URL"] = database_url
        _empty_postgres(database_url)
    subprocess.run([MASTHEAD, "migrate", "-v0"], env=env, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    cpu = _cpu()
    started = time.perf_counter()
    subprocess.run(
        [MASTHEAD, "import_wxr", str(export)], env=env, check=True, stdout=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, _cpu() - cpu, max(peak, before) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--postgres", help="also import into this (emptied) PostgreSQL database")
    args = parser.parse_args()
    engines = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"{'engine':<11} {'posts':>7} {'comments':>9} {'file MB':>8} {'seconds':>8} "
            f"{'comments/s':>11} {'CPU s':>6} {'peak RSS MB':>12}"
        )
        for scale in args.scale:
            export = Path(tmp) / f"bench-{scale}.xml"
            posts, comments = args.posts * scale, args.comments * scale
            write_export(export, posts, comments)
            size = export.stat().st_size / 1e6
            for engine, url in engines:
                seconds, cpu, peak = run_import(export, url)
                print(
                    f"{engine:<11} {posts:>7} {comments:>9} {size:>8.1f} {seconds:>8.1f} "
                    f"{comments / seconds:>11,.0f} {cpu:>6.1f} {peak:>12.0f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
