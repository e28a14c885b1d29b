"""Authors, categories and tags of a WordPress export, matched or made here.

Categories and tags are matched by their path and slug as well as by legacy
id, so two sites imported into one publication share "news" rather than
splitting it; authors are matched by legacy id, or by the --authors map.
"""

import csv
import html
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from masthead.portability.wxr.parse import Record
from masthead.portability.wxr.report import Report
from masthead.publishing import services
from masthead.publishing.models import Author, Category, Tag


def term_name(value: str) -> str:
    """WordPress keeps a term's name HTML-escaped ("Harbour &amp; Quays"); here it is text."""
    return " ".join(html.unescape(value).split())


class AuthorMapError(ValueError):
    """The --authors file names someone who is not here."""


def read_author_map(path: Path) -> dict[str, Author]:
    """``wp_login,username`` rows (a header row is allowed): each login writes as that user,
    or as the byline with that slug when no user has the name."""
    users = get_user_model()
    mapping: dict[str, Author] = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            if len(row) < 2 or not row[0].strip() or row[0].strip().lower() == "wp_login":
                continue
            login, name = row[0].strip(), row[1].strip()
            user = users.objects.filter(username=name).first()
            if user is not None:
                mapping[login] = services.author_for(user)
                continue
            author = Author.objects.filter(slug=name).first()
            if author is None:
                raise AuthorMapError(
                    f"{path}: “{name}” (for {login}) is neither a user nor a byline."
                )
            mapping[login] = author
    return mapping


def _free_slug(model, base: str, **scope) -> str:
    slug, n = base, 2
    while model.objects.filter(slug=slug, **scope).exists():
        slug, n = f"{base[:110]}-{n}", n + 1
    return slug


class Taxonomy:
    def __init__(self, key, report: Report, author_map: dict[str, Author]):
        self.key = key
        self.report = report
        self.authors: dict[str, Author] = dict(author_map)
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        self._pending_categories: list[dict] = []

    # Authors ---------------------------------------------------------------

    def add_author(self, record: Record) -> None:
        login = record.fields.get("wp:author_login", "").strip()
        if not login or login in self.authors:
            return
        name = record.fields.get("wp:author_display_name", "").strip() or login
        legacy = self.key("author", login)
        author = Author.objects.filter(legacy_id=legacy).first()
        created = author is None
        if created:
            slug = _free_slug(Author, slugify(login)[:110] or "author")
            author = Author.objects.create(display_name=name[:120], slug=slug, legacy_id=legacy)
        elif author.display_name != name[:120]:
            author.display_name = name[:120]
            author.save(update_fields=["display_name"])
        self.authors[login] = author
        self.report.count("authors", created)

    def author(self, login: str) -> Author | None:
        login = login.strip()
        if login and login not in self.authors:
            self.add_author(Record("author", {"wp:author_login": login}))
        return self.authors.get(login)

    # Categories ------------------------------------------------------------

    def add_category(self, record: Record) -> None:
        self._pending_categories.append(record.fields)

    def settle_categories(self) -> None:
        """Make the categories read so far, parents before children, whatever their order."""
        pending = {f.get("wp:category_nicename", "").strip(): f for f in self._pending_categories}
        self._pending_categories = []
        for nicename in pending:
            self._settle(nicename, pending, set())

    def _settle(self, nicename: str, pending: dict, seen: set) -> Category | None:
        if nicename in self.categories:
            return self.categories[nicename]
        fields = pending.get(nicename)
        if fields is None or nicename in seen:
            return None
        seen.add(nicename)
        parent_name = fields.get("wp:category_parent", "").strip()
        parent = self._settle(parent_name, pending, seen) if parent_name else None
        return self._category(
            nicename,
            term_name(fields.get("wp:cat_name", "")) or nicename,
            parent,
            fields.get("wp:category_description", ""),
            self.key("category", fields.get("wp:term_id") or nicename),
        )

    def _category(self, nicename, name, parent, description, legacy) -> Category:
        slug = slugify(nicename)[:120] or slugify(name)[:120] or "category"
        category = (
            Category.objects.filter(legacy_id=legacy).first()
            or Category.objects.filter(parent=parent, slug=slug).first()
        )
        created = category is None
        category = category or Category(slug=slug, legacy_id=legacy)
        category.name, category.parent = name[:120], parent
        category.description = description or category.description
        category.save()
        self.categories[nicename] = category
        self.report.count("categories", created)
        return category

    def category(self, nicename: str, name: str) -> Category:
        """An item's category; one the header did not list is made at the top level."""
        found = self.categories.get(nicename)
        if found is None:
            found = self._category(
                nicename, term_name(name) or nicename, None, "", self.key("category", nicename)
            )
        return found

    # Tags ------------------------------------------------------------------

    def add_tag(self, record: Record) -> None:
        slug = record.fields.get("wp:tag_slug", "").strip()
        name = term_name(record.fields.get("wp:tag_name", "")) or slug
        self.tag(slug, name, record.fields.get("wp:term_id") or slug)

    def tag(self, nicename: str, name: str, term_id: str = "") -> Tag:
        slug = slugify(nicename)[:120] or slugify(name)[:120] or "tag"
        found = self.tags.get(slug)
        if found is not None:
            return found
        tag = Tag.objects.filter(slug=slug).first()
        created = tag is None
        if created:
            tag = Tag.objects.create(
                slug=slug,
                name=(term_name(name) or nicename)[:120],
                legacy_id=self.key("tag", term_id or slug),
            )
        self.tags[slug] = tag
        self.report.count("tags", created)
        return tag
