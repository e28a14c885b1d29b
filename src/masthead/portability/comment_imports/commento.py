"""Commento's JSON export: {"version": 1, "comments": [ … ], "commenters": [ … ]}.

- comment: "commentHex" the key (legacy id "commento:<domain>:<hex>", hashed to
  fit the column: a hex is 64 characters); "parentHex" the parent, "root" at the top;
  "url" (a path on "domain") names the post; "markdown" the text as typed
  ("html" converted when there is no markdown); "creationDate" ISO 8601.
- "state": "approved" → published, "unapproved" → held, "flagged" (Commento's
  spam check) → spam; "deleted": true → deleted.
- "commenterHex" points into "commenters" for "name", "email" and "link";
  "anonymous" is a guest without a name.
"""

from pathlib import Path

from masthead.discussion.querysets import CommentStatus
from masthead.portability.comment_imports import parsed
from masthead.portability.comment_imports.htmltext import html_to_markdown

NAME, LABEL = "commento", "Commento"
STATES = {
    "approved": CommentStatus.APPROVED,
    "unapproved": CommentStatus.PENDING,
    "flagged": CommentStatus.SPAM,
}


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _commenters(data: dict, where: str) -> dict[str, dict]:
    people = parsed.expect(data.get("commenters") or [], list, f"{where} commenters")
    return {_str(p.get("commenterHex")): p for p in people if isinstance(p, dict)}


def _entry(item: dict, people: dict[str, dict], where: str) -> parsed.Entry:
    person = people.get(_str(item.get("commenterHex")), {})
    parent = _str(item.get("parentHex"))
    # An unknown state is held: nothing becomes public that was not public before.
    status = STATES.get(_str(item.get("state")), CommentStatus.PENDING)
    return parsed.Entry(
        key=_str(item.get("commentHex")),
        thread=_str(item.get("url")),
        parent=None if parent in ("", "root") else parent,
        body=_str(item.get("markdown")) or html_to_markdown(_str(item.get("html"))),
        created_at=parsed.timestamp(_str(item.get("creationDate")), where),
        author_name=parsed.author_name(_str(person.get("name"))),
        author_email=parsed.author_email(_str(person.get("email"))),
        author_url=parsed.author_url(_str(person.get("link"))),
        status=status,
        deleted=item.get("deleted") is True,
    )


def parse(path: Path) -> parsed.Parsed:
    result = parsed.Parsed(NAME, LABEL)
    data = parsed.expect(parsed.read_json(path), dict, f"{path.name}: the file")
    people = _commenters(data, path.name)
    comments = parsed.expect(data.get("comments") or [], list, f"{path.name}: comments")
    for number, item in enumerate(comments, 1):
        where = f"{path.name}: comment {number}"
        entry = _entry(parsed.expect(item, dict, where), people, where)
        result.add(entry, missing_key="no commentHex", site=_str(item.get("domain")))
    return result
