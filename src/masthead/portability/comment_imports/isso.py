"""Isso's "generic" JSON: a list of threads, each with its comments.

[{"id": "/posts/0001/", "title": "…", "comments": [{"id", "author", "email",
"website", "remote_addr", "created", "text", "parent"?, "mode"?}]}]

- thread "id" is the page's path, which names the post.
- a comment's id is only unique within its thread, so the key (legacy id
  "isso:<site>:<thread>#<id>", the site from --site) is the pair; "parent"
  is the id of another comment in the same thread.
- "text" is what the commenter typed (Isso renders it as Markdown).
- "mode" as Isso stores it: 1 published, 2 held, 4 deleted; none → published.
- "created": "YYYY-MM-DD HH:MM:SS" (taken as UTC), or a Unix time.
"""

import datetime as dt
from pathlib import Path

from masthead.discussion.querysets import CommentStatus
from masthead.portability.comment_imports import parsed

NAME, LABEL = "isso", "Isso"
HELD, DELETED = 2, 4


def _created(value, where: str) -> dt.datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    return parsed.timestamp(value if isinstance(value, str) else None, where)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _entry(item: dict, thread: str, index: int, where: str) -> parsed.Entry:
    mode = item.get("mode", 1)
    parent = item.get("parent")
    return parsed.Entry(
        key=f"{thread}#{item.get('id', index)}",
        thread=thread,
        parent=f"{thread}#{parent}" if parent not in (None, "") else None,
        body=_text(item.get("text")).strip(),
        created_at=_created(item.get("created"), where),
        author_name=parsed.author_name(_text(item.get("author"))),
        author_email=parsed.author_email(_text(item.get("email"))),
        author_url=parsed.author_url(_text(item.get("website"))),
        ip_address=parsed.ip_address(_text(item.get("remote_addr"))),
        status=CommentStatus.PENDING if mode == HELD else CommentStatus.APPROVED,
        deleted=mode == DELETED,
    )


def parse(path: Path) -> parsed.Parsed:
    result = parsed.Parsed(NAME, LABEL)
    threads = parsed.expect(parsed.read_json(path), list, f"{path.name}: the file")
    for number, thread in enumerate(threads, 1):
        where = f"{path.name}: thread {number}"
        parsed.expect(thread, dict, where)
        key = _text(thread.get("id")).strip()
        if not key:
            result.skipped["its thread has no id"] += len(thread.get("comments") or [])
            continue
        title = _text(thread.get("title"))
        result.threads[key] = parsed.Thread(key, [key], title, site=parsed.host_of(key))
        comments = parsed.expect(thread.get("comments", []), list, f"{where} comments")
        for index, item in enumerate(comments, 1):
            parsed.expect(item, dict, f"{where}, comment {index}")
            result.entries.append(_entry(item, key, index, f"{where}, comment {index}"))
    return result
