"""Remark42's comments, as a tree, a flat list or its backup file.

- tree (its API's ``format=tree``): {"comments": [{"comment": {…}, "replies": [ … ]}]}
- flat: [{…}, …] or {"comments": [{…}, …]}
- backup: one JSON object per line, the first the site's metadata.

Each comment: "id" the key (legacy id "remark42:<site>:<id>"), "pid" the parent
("" at the top), "locator" {"site", "url"}: its "url" names the post, and its
host the site ("site" is Remark42's own name for the instance, often "remark").
"orig" is the Markdown the commenter typed and is used when present;
otherwise "text", the HTML Remark42 made of it. "user" {"name", "ip",
"block"}: Remark42 keeps a hash, not an address, in "ip", so none is kept
but a real address; a blocked user's comments were hidden from readers
and stay so, as spam. "delete": true → deleted. "time" is ISO 8601.
Remark42 has no moderation queue: the rest are published.
"""

import json
from pathlib import Path

from masthead.discussion.querysets import CommentStatus
from masthead.portability.comment_imports import parsed
from masthead.portability.comment_imports.htmltext import html_to_markdown

NAME, LABEL = "remark42", "Remark42"


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _body(item: dict) -> str:
    original = _str(item.get("orig"))
    return original or html_to_markdown(_str(item.get("text")))


def _entry(item: dict, where: str) -> parsed.Entry:
    user = item.get("user") if isinstance(item.get("user"), dict) else {}
    locator = item.get("locator") if isinstance(item.get("locator"), dict) else {}
    blocked = user.get("block") is True or user.get("blocked") is True
    return parsed.Entry(
        key=_str(item.get("id")),
        thread=_str(locator.get("url")),
        parent=_str(item.get("pid")) or None,
        body=_body(item),
        created_at=parsed.timestamp(_str(item.get("time")), where),
        author_name=parsed.author_name(_str(user.get("name"))),
        author_email=parsed.author_email(_str(user.get("email"))),
        ip_address=parsed.ip_address(_str(user.get("ip"))),
        status=CommentStatus.SPAM if blocked else CommentStatus.APPROVED,
        deleted=item.get("delete") is True,
    )


def _walk(nodes: list, where: str):
    """Every comment of a tree or a flat list, parents before their replies."""
    for number, node in enumerate(nodes, 1):
        here = f"{where} {number}"
        parsed.expect(node, dict, here)
        if "comment" in node:
            yield parsed.expect(node["comment"], dict, here), here
            yield from _walk(parsed.expect(node.get("replies") or [], list, here), f"{here}.")
        else:
            yield node, here


def _backup_lines(path: Path, text: str):
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise parsed.json_error(path, error, number) from None
        if isinstance(item, dict) and "id" in item:
            yield item, f"{path.name}: line {number}"


def _items(path: Path):
    text = parsed.read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise parsed.json_error(path, error) from None
        return _backup_lines(path, text)
    if isinstance(data, dict):
        data = data.get("comments")
    nodes = parsed.expect(data, list, f"{path.name}: the comments")
    return _walk(nodes, f"{path.name}: comment")


def parse(path: Path) -> parsed.Parsed:
    result = parsed.Parsed(NAME, LABEL)
    for item, where in _items(path):
        result.add(_entry(item, where), missing_key="no id")
    return result
