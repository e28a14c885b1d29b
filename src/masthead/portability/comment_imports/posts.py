"""Which post or standing page an old system's thread belongs to, from the links and
ids it kept.

Every post and page is indexed once per run under each name it may go by: its
permalink path, the path of its old address (``legacy_url``), the WordPress
id behind ``?p=`` and ``?page_id=`` links (``legacy_id``) and its slug. Hosts
are ignored, since a site that moves usually changes its domain or scheme too.
A match is named as ``Comment.target_key`` names it: "post:<id>" or "page:<id>".
"""

import re
from collections import defaultdict
from urllib.parse import parse_qs, unquote, urlsplit

from masthead.discussion.querysets import target_key
from masthead.publishing.models import Page, Post

_INDEX_PAGE = re.compile(r"/index\.(?:html?|php)$")
_WORDPRESS_ID = re.compile(r"(?:^|:)(\d+)$")


def path_key(path: str) -> str:
    """A path as compared: decoded, one leading slash, no trailing slash or index page."""
    path = _INDEX_PAGE.sub("/", unquote(path.strip()))
    return "path:/" + path.strip("/")


def locator_keys(locator: str) -> list[str]:
    """The names a thread's link or identifier could match, most telling first."""
    text = locator.strip()
    if not text:
        return []
    if text.isdigit():
        return [f"id:{text}"]
    parts = text.split()
    if len(parts) == 2 and parts[0].isdigit():  # WordPress's Disqus plugin: "123 https://…/?p=123"
        return [f"id:{parts[0]}", *locator_keys(parts[1])]
    url = urlsplit(text)
    keys = []
    query = parse_qs(url.query)
    for name in ("p", "page_id"):
        if query.get(name, [""])[0].isdigit():
            keys.append(f"id:{query[name][0]}")
    if url.scheme or text.startswith("/"):
        if url.path.strip("/") or not keys:
            keys.append(path_key(url.path))
        return keys
    return [path_key(text), f"slug:{text}"]


class PostIndex:
    """Posts and pages by every key ``locator_keys`` can give, loaded in one query each."""

    def __init__(self):
        self.keys: dict[str, set[str]] = defaultdict(set)
        posts = Post.objects.only("pk", "slug", "published_at", "legacy_id", "legacy_url")
        pages = Page.objects.only("pk", "slug", "path", "legacy_id", "legacy_url")
        for rows in (posts, pages):
            for post in rows.iterator(chunk_size=2000):
                for key in self._keys_of(post):
                    self.keys[key].add(target_key(post))

    @staticmethod
    def _keys_of(post: Post | Page) -> set[str]:
        keys = {path_key(post.get_absolute_url()), f"slug:{post.slug}"}
        if post.legacy_url:
            keys.update(key for key in locator_keys(post.legacy_url) if not key.startswith("slug:"))
        match = _WORDPRESS_ID.search(post.legacy_id)
        if match:
            keys.add(f"id:{match.group(1)}")
        return keys

    def find(self, locators: list[str]) -> tuple[str | None, str]:
        """The post's or page's key ("post:3", "page:5"), or None and why no single one fits."""
        tried = [locator for locator in locators if locator.strip()]
        if not tried:
            return None, "no link or identifier"
        ambiguous = None
        for locator in tried:
            for key in locator_keys(locator):
                found = self.keys.get(key, set())
                if len(found) == 1:
                    return next(iter(found)), ""
                if found and ambiguous is None:
                    ambiguous = f"{locator} fits {len(found)} posts"
        return None, ambiguous or f"no post at {' or '.join(tried)}"
