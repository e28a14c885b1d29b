"""Writes to published content. Views, admin, importers and commands call these."""

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from masthead.publishing import images, markup, permissions
from masthead.publishing.models import (
    Author,
    Byline,
    Figure,
    Page,
    Post,
    PostAutosave,
    PostNote,
    PostRevision,
    Status,
)


def unique_post_slug(title: str, published_at: dt.datetime | None, exclude_pk=None) -> str:
    """A slug free on the post's publication day, as permalinks need."""
    base = slugify(title)[:180] or "post"
    qs = Post.objects.exclude(pk=exclude_pk)
    if published_at is not None:
        day = timezone.localtime(published_at).date()
        qs = qs.filter(published_at__date=day)
    slug, n = base, 2
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def settle_status(obj) -> None:
    # Publishing without a date means now; a future date means scheduled.
    if obj.status != Status.DRAFT and obj.published_at is None:
        obj.published_at = timezone.now()
    if obj.status == Status.PUBLISHED and obj.published_at > timezone.now():
        obj.status = Status.SCHEDULED
    elif obj.status == Status.SCHEDULED and obj.published_at <= timezone.now():
        obj.status = Status.PUBLISHED


def render_body(obj) -> None:
    obj.body_html = markup.render_article(obj.body)


@transaction.atomic
def save_post(
    post: Post | None = None,
    *,
    by=None,
    authors=None,
    categories=None,
    tags=None,
    **fields,
) -> Post:
    """Create or update a post, rendering its body once and settling its status.

    ``by`` is the person saving, kept on the revision the save leaves.
    """
    post = post or Post()
    for name, value in fields.items():
        setattr(post, name, value)
    settle_status(post)
    if not post.slug:
        post.slug = unique_post_slug(post.title, post.published_at, exclude_pk=post.pk)
    render_body(post)
    post.full_clean(exclude=["authors", "categories", "tags"])
    post.save()
    record_revision(post, by=by)
    if authors is not None:
        set_bylines(post, authors)
    if categories is not None:
        post.categories.set(categories)
    if tags is not None:
        post.tags.set(tags)
    return post


def record_revision(post: Post, *, by=None) -> PostRevision | None:
    """Keep the post's title, excerpt and body as saved, unless the last revision has them."""
    latest = post.revisions.order_by("-created_at", "-id").first()
    if latest is not None and latest.same_text(post):
        return None
    return PostRevision.objects.create(
        post=post, title=post.title, excerpt=post.excerpt, body=post.body, by=by
    )


def restore_revision(revision: PostRevision, *, by=None) -> Post:
    """Put a revision's text back on its post; the restore is itself a new revision."""
    return save_post(
        revision.post,
        by=by,
        **{name: getattr(revision, name) for name in PostRevision.TEXT_FIELDS},
    )


@transaction.atomic
def save_note(note: PostNote) -> PostNote:
    """Store a correction or update note with its text rendered once, as article text."""
    note.text_html = markup.render_article(note.text)
    note.full_clean()
    note.save()
    return note


def byline_name(user) -> str:
    """The name a person gave (their public display name, else first and last name), or "".

    Never the username: a login handle, often made from an email address.
    """
    try:
        # The account's public profile, when the accounts app keeps one.
        chosen = user.profile.display_name.strip()
    except (ObjectDoesNotExist, AttributeError):
        chosen = ""
    return chosen or user.get_full_name().strip()


def needs_byline_name(user) -> bool:
    """Whether the person has no byline yet and no name to make one from."""
    try:
        _ = user.author_profile
    except Author.DoesNotExist:
        return not byline_name(user)
    return False


def author_for(user, name: str = "") -> Author:
    """A staff user's byline, made on first need so a new author can start writing.

    ``name`` is what they typed when asked how they sign; otherwise the name they gave.
    """
    try:
        return user.author_profile
    except Author.DoesNotExist:
        pass
    name = name.strip() or byline_name(user)
    if not name:
        raise ValidationError("Say how your name should appear on the byline.")
    base = slugify(name)[:110] or "author"
    slug, n = base, 2
    while Author.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return Author.objects.create(user=user, display_name=name, slug=slug)


def add_byline(post: Post, author: Author) -> None:
    """Put ``author`` last in the byline unless already there."""
    if not post.bylines.filter(author=author).exists():
        Byline.objects.create(post=post, author=author, position=post.bylines.count())


def set_bylines(post: Post, authors) -> None:
    post.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(post=post, author=author, position=i) for i, author in enumerate(authors)
    )


@transaction.atomic
def save_page(page: Page | None = None, **fields) -> Page:
    page = page or Page()
    for name, value in fields.items():
        setattr(page, name, value)
    settle_status(page)
    if not page.slug:
        page.slug = slugify(page.title)[:180] or "page"
    render_body(page)
    page.full_clean()
    page.save()
    return page


def publish(obj, *, at: dt.datetime | None = None):
    """Publish a post or page now, or schedule it for ``at``."""
    obj.status = Status.PUBLISHED
    obj.published_at = at or obj.published_at or timezone.now()
    settle_status(obj)
    obj.save(update_fields=["status", "published_at", "updated_at"])
    return obj


@transaction.atomic
def create_figure(*, image, alt_text: str, caption: str = "", credit: str = "", uploaded_by=None):
    """Store an uploaded image as a figure: validated, GPS-stripped, with renditions."""
    images.validate_image(image)
    figure = Figure(
        image=images.clean_upload(image),
        alt_text=alt_text,
        caption=caption,
        credit=credit,
        uploaded_by=uploaded_by,
    )
    figure.full_clean()
    figure.save()
    figure.renditions = images.make_renditions(figure)
    figure.save(update_fields=["renditions", "width", "height"])
    return figure


@transaction.atomic
def update_figure(figure: Figure, *, by, alt_text: str, caption: str = "", credit: str = ""):
    """Change what readers are told about a figure; its uploader's or an editor's call."""
    if not permissions.can_edit_figure(by, figure):
        raise PermissionDenied("Only the figure's uploader or an editor may change it.")
    figure.alt_text, figure.caption, figure.credit = alt_text.strip(), caption, credit
    figure.full_clean()
    figure.save(update_fields=["alt_text", "caption", "credit"])
    render_showing(figure.pk)
    return figure


def render_showing(figure_id: int) -> int:
    """Render again every post and page whose text places the figure: its caption,
    credit and alt text are written into their stored HTML. Their cached copies turn
    over with the figure's save. Returns how many were rendered."""
    rendered = 0
    for model in (Post, Page):
        placing = model.objects.filter(body__contains=f"figure:{figure_id}").only("body")
        for item in placing:
            if str(figure_id) in markup.FIGURE_SRC.findall(item.body):
                html = markup.render_article(item.body)
                rendered += model.objects.filter(pk=item.pk).update(body_html=html)
    return rendered


@transaction.atomic
def autosave_post(*, user, post: Post | None, title: str, excerpt: str, body: str) -> PostAutosave:
    """Keep what ``user`` has typed for ``post`` (None: a post not saved yet).

    The post itself is left alone, published or not: restoring is the writer's choice.
    """
    if post is not None and not permissions.editable_posts(user).filter(pk=post.pk).exists():
        raise PermissionDenied("You may not change this post.")
    copy, _ = PostAutosave.objects.select_for_update().update_or_create(
        user=user,
        post=post,
        defaults={"title": title, "excerpt": excerpt, "body": body, "saved_at": timezone.now()},
    )
    return copy


def pending_autosave(*, user, post: Post | None) -> PostAutosave | None:
    """``user``'s autosaved text for ``post`` when it is newer than the post and differs."""
    copy = PostAutosave.objects.filter(user=user, post=post).first()
    if copy is None or not copy.differs_from(post):
        return None
    if post is not None and post.updated_at and copy.saved_at <= post.updated_at:
        return None
    return copy


def discard_autosave(*, user, post: Post | None) -> None:
    PostAutosave.objects.filter(user=user, post=post).delete()
