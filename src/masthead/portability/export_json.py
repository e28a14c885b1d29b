"""The whole site as one JSON document (docs/operations/export-json.md), written as it is read.

Each record is serialised on its own and written at once, so the exporter holds one
batch of rows at a time however big the site is. References between records use
the source site's ids for figures, posts and comments, and natural keys (username,
slug, category path) for the rest; the importer maps them to its own ids.
"""

import base64
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import TextIO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.identity.models import Profile
from masthead.publishing.models import Author, Category, Figure, Page, Post, Tag

FORMAT = "masthead-export"
VERSION = 1
CHUNK = 500


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _name(user) -> str | None:
    return user.get_username() if user else None


def _embedded(names: Iterable[str]) -> dict[str, str]:
    """Media files as base64, for an export that must stand alone without a backup."""
    files = {}
    for name in names:
        if name and default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                files[name] = base64.b64encode(handle.read()).decode("ascii")
    return files


def users() -> Iterator[dict]:
    profiles = {p.user_id: p for p in Profile.objects.all()}
    emails: dict[int, list] = {}
    for address in EmailAddress.objects.order_by("pk"):
        emails.setdefault(address.user_id, []).append(
            {"email": address.email, "verified": address.verified, "primary": address.primary}
        )
    qs = get_user_model().objects.prefetch_related("groups").order_by("pk")
    for user in qs.iterator(chunk_size=CHUNK):
        profile = profiles.get(user.pk)
        yield {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "date_joined": _when(user.date_joined),
            "groups": sorted(g.name for g in user.groups.all()),
            "emails": emails.get(user.pk, []),
            "profile": profile
            and {
                "display_name": profile.display_name,
                "website": profile.website,
                "avatar": profile.avatar.name,
            },
        }


def authors(embed: bool) -> Iterator[dict]:
    for author in Author.objects.select_related("user").order_by("pk").iterator(CHUNK):
        record = {
            "slug": author.slug,
            "display_name": author.display_name,
            "bio": author.bio,
            "avatar": author.avatar.name,
            "user": _name(author.user),
            "legacy_id": author.legacy_id,
        }
        if embed:
            record["files"] = _embedded([author.avatar.name])
        yield record


def categories() -> Iterator[dict]:
    for category in Category.objects.select_related("parent").order_by("path"):
        yield {
            "path": category.path,
            "name": category.name,
            "slug": category.slug,
            "parent": category.parent.path if category.parent else None,
            "description": category.description,
            "legacy_id": category.legacy_id,
        }


def tags() -> Iterator[dict]:
    for tag in Tag.objects.order_by("slug").iterator(CHUNK):
        yield {"slug": tag.slug, "name": tag.name, "legacy_id": tag.legacy_id}


def figures(embed: bool) -> Iterator[dict]:
    for figure in Figure.objects.select_related("uploaded_by").order_by("pk").iterator(CHUNK):
        record = {
            "id": figure.pk,
            "image": figure.image.name,
            "width": figure.width,
            "height": figure.height,
            "alt_text": figure.alt_text,
            "caption": figure.caption,
            "credit": figure.credit,
            "renditions": figure.renditions,
            "uploaded_by": _name(figure.uploaded_by),
            "created_at": _when(figure.created_at),
            "legacy_id": figure.legacy_id,
        }
        if embed:
            names = [figure.image.name, *(r.get("name") for r in figure.renditions)]
            record["files"] = _embedded(names)
        yield record


def _content(item) -> dict:
    return {
        "title": item.title,
        "slug": item.slug,
        "status": item.status,
        "published_at": _when(item.published_at),
        "created_at": _when(item.created_at),
        "updated_at": _when(item.updated_at),
        "excerpt": item.excerpt,
        "body": item.body,
        "body_html": item.body_html,
        "legacy_id": item.legacy_id,
        "legacy_url": item.legacy_url,
    }


def posts() -> Iterator[dict]:
    qs = Post.objects.order_by("pk").prefetch_related(
        "bylines__author", "categories", "tags", "revisions__by", "notes"
    )
    for post in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": post.pk,
            **_content(post),
            "comment_status": post.comment_status,
            "sticky": post.sticky,
            "lead_figure": post.lead_figure_id,
            "bylines": [
                {"author": b.author.slug, "position": b.position} for b in post.bylines.all()
            ],
            "categories": sorted(c.path for c in post.categories.all()),
            "tags": sorted(t.slug for t in post.tags.all()),
            "revisions": [
                {
                    "title": r.title,
                    "excerpt": r.excerpt,
                    "body": r.body,
                    "by": _name(r.by),
                    "created_at": _when(r.created_at),
                }
                for r in sorted(post.revisions.all(), key=lambda r: (r.created_at, r.pk))
            ],
            "notes": [
                {"kind": n.kind, "text": n.text, "created_at": _when(n.created_at)}
                for n in post.notes.all()
            ],
        }


def pages() -> Iterator[dict]:
    for page in Page.objects.select_related("parent").order_by("path"):
        yield {
            "path": page.path,
            **_content(page),
            "comment_status": page.comment_status,
            "parent": page.parent.path if page.parent else None,
            "menu_order": page.menu_order,
        }


def comments() -> Iterator[dict]:
    # Parents come before their replies: a reply is always one level deeper.
    qs = Comment.objects.select_related("user", "page").prefetch_related("revisions")
    for comment in qs.order_by("depth", "pk").iterator(chunk_size=CHUNK):
        yield {
            "id": comment.pk,
            # Under a post (its id) or a standing page (its path); the other is None.
            "post": comment.post_id,
            "page": comment.page.path if comment.page_id else None,
            "parent": comment.parent_id,
            "kind": comment.kind,
            "status": comment.status,
            "user": _name(comment.user),
            "provider": comment.provider,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": comment.author_url,
            "body": comment.body,
            "body_html": comment.body_html,
            "moderation_note": comment.moderation_note,
            "spam_score": comment.spam_score,
            "like_count": comment.like_count,
            "created_at": _when(comment.created_at),
            "edited_at": _when(comment.edited_at),
            "deleted_at": _when(comment.deleted_at),
            "followers_notified_at": _when(comment.followers_notified_at),
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
            "legacy_id": comment.legacy_id,
            "revisions": [
                {"body": r.body, "replaced_at": _when(r.replaced_at)}
                for r in comment.revisions.all()
            ],
        }


def write_export(out: TextIO, *, embed_media: bool = False) -> dict[str, int]:
    """Write the site to ``out`` section by section; returns how many records each holds."""
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "site": {"name": settings.SITE_NAME, "url": settings.SITE_URL},
        "media_embedded": embed_media,
    }
    sections = {
        "users": users(),
        "authors": authors(embed_media),
        "categories": categories(),
        "tags": tags(),
        "figures": figures(embed_media),
        "posts": posts(),
        "pages": pages(),
        "comments": comments(),
    }
    out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2])
    counts = {}
    for name, records in sections.items():
        out.write(f',\n "{name}": [')
        counts[name] = 0
        for record in records:
            out.write(",\n  " if counts[name] else "\n  ")
            out.write(json.dumps(record, ensure_ascii=False))
            counts[name] += 1
        out.write("\n ]")
    out.write("\n}\n")
    return counts
