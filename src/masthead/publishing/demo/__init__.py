"""The demo publication, The Marrowick Ledger, as ``masthead demo`` loads it.

Loading creates whatever is missing and leaves existing objects alone, so it is
safe on every start and never overwrites what someone has since edited. Demo
objects carry a ``demo:`` legacy id; authors, categories and tags are matched by
slug or path so a site's own "News" category is reused rather than doubled.
"""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from masthead.publishing import services, signals
from masthead.publishing.demo import catalogue
from masthead.publishing.models import Author, Category, Figure, Page, Post, Status, Tag

FIGURE_REF = re.compile(r"\(figure:([a-z0-9-]+)\)")


@dataclass
class Tally:
    created: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)

    def ensure(self, model: type[models.Model], existing, make):
        """Return ``existing`` if there is one, else what ``make()`` builds."""
        if existing is not None:
            self.kept[model] += 1
            return existing
        self.created[model] += 1
        return make()

    def summary(self) -> str:
        def counted(counter):
            return ", ".join(
                f"{n} {m._meta.verbose_name if n == 1 else m._meta.verbose_name_plural}"
                for m, n in counter.items()
            )

        kept = sum(self.kept.values())
        if not self.created:
            return f"{catalogue.PUBLICATION}: nothing to add ({kept} demo objects already there)."
        if not kept:
            return f"{catalogue.PUBLICATION}: created {counted(self.created)}."
        return f"{catalogue.PUBLICATION}: created {counted(self.created)}; {kept} already there."


@dataclass
class Document:
    meta: dict[str, str]
    body: str


def parse(text: str) -> Document:
    """Split a demo file into its ``key: value`` front matter and Markdown body."""
    _, head, body = text.split("---\n", 2)
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return Document(meta, body.strip() + "\n")


def documents(prefix: str) -> list[Document]:
    files = sorted(
        (f for f in resources.files(__name__).iterdir() if f.name.startswith(prefix)),
        key=lambda f: f.name,
    )
    return [parse(f.read_text(encoding="utf-8")) for f in files]


def when(spec: str, now: dt.datetime) -> dt.datetime:
    """``-3d 07:30`` is half past seven local time three days before ``now``."""
    days, clock = spec.split()
    hour, minute = (int(part) for part in clock.split(":"))
    day = timezone.localtime(now) + dt.timedelta(days=int(days.removesuffix("d")))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _listed(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


@transaction.atomic
def load_demo(now: dt.datetime | None = None) -> Tally:
    """Create the parts of the demo publication that are missing."""
    now = now or timezone.now()
    tally = Tally()
    authors = {a["slug"]: _author(tally, a) for a in catalogue.AUTHORS}
    categories = {}
    for spec in catalogue.CATEGORIES:
        categories[spec["path"]] = _category(tally, spec, categories)
    tags = {t["slug"]: _tag(tally, t) for t in catalogue.TAGS}
    figures = {f["key"]: _figure(tally, f, now) for f in catalogue.FIGURES}
    for doc in documents("post-"):
        _post(tally, doc, now, authors=authors, categories=categories, tags=tags, figures=figures)
    for doc in documents("page-"):
        _page(tally, doc)
    signals.demo_loaded.send(load_demo, tally=tally, now=now)
    return tally


def _author(tally: Tally, spec: dict) -> Author:
    return tally.ensure(
        Author,
        Author.objects.filter(slug=spec["slug"]).first(),
        lambda: Author.objects.create(legacy_id=f"demo:author:{spec['slug']}", **spec),
    )


def _category(tally: Tally, spec: dict, known: dict[str, Category]) -> Category:
    parent_path, _, slug = spec["path"].rpartition("/")
    return tally.ensure(
        Category,
        Category.objects.filter(path=spec["path"]).first(),
        lambda: Category.objects.create(
            name=spec["name"],
            slug=slug,
            parent=known.get(parent_path),
            description=spec["description"],
            legacy_id=f"demo:category:{spec['path']}",
        ),
    )


def _tag(tally: Tally, spec: dict) -> Tag:
    return tally.ensure(
        Tag,
        Tag.objects.filter(slug=spec["slug"]).first(),
        lambda: Tag.objects.create(legacy_id=f"demo:tag:{spec['slug']}", **spec),
    )


def _figure(tally: Tally, spec: dict, now: dt.datetime) -> Figure:
    legacy_id = f"demo:figure:{spec['key']}"

    def make():
        png = spec["draw"](last_year=timezone.localtime(now).year - 1)
        figure = services.create_figure(
            image=SimpleUploadedFile(f"{spec['key']}.png", png, content_type="image/png"),
            alt_text=spec["alt_text"],
            caption=spec["caption"],
            credit=spec["credit"],
        )
        figure.legacy_id = legacy_id
        figure.save(update_fields=["legacy_id"])
        return figure

    return tally.ensure(Figure, Figure.objects.filter(legacy_id=legacy_id).first(), make)


def _post(tally: Tally, doc: Document, now: dt.datetime, *, authors, categories, tags, figures):
    meta = doc.meta
    legacy_id = f"demo:post:{meta['slug']}"
    body = FIGURE_REF.sub(lambda m: f"(figure:{figures[m[1]].pk})", doc.body)
    tally.ensure(
        Post,
        Post.objects.filter(legacy_id=legacy_id).first(),
        lambda: services.save_post(
            title=meta["title"],
            slug=meta["slug"],
            body=body,
            excerpt=meta["excerpt"],
            status=Status.PUBLISHED,
            published_at=when(meta["published"], now),
            lead_figure=figures.get(meta.get("lead_figure")),
            legacy_id=legacy_id,
            authors=[authors[s] for s in _listed(meta["authors"])],
            categories=[categories[p] for p in _listed(meta.get("categories", ""))],
            tags=[tags[s] for s in _listed(meta.get("tags", ""))],
        ),
    )


def _page(tally: Tally, doc: Document) -> None:
    meta = doc.meta
    legacy_id = f"demo:page:{meta['slug']}"
    tally.ensure(
        Page,
        Page.objects.filter(Q(legacy_id=legacy_id) | Q(path=meta["slug"])).first(),
        lambda: services.save_page(
            title=meta["title"],
            slug=meta["slug"],
            body=doc.body,
            excerpt=meta["excerpt"],
            status=Status.PUBLISHED,
            menu_order=int(meta["menu_order"]),
            legacy_id=legacy_id,
        ),
    )
