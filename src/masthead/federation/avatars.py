"""Fediverse commenters' avatars, held on the site.

A remote actor names its picture by URL. Readers' browsers must never load it
(the site's Content-Security-Policy allows images from itself only, and the
remote server would learn who reads the page), so a background task fetches it
through the SSRF-guarded client, checks and shrinks it in the image worker that
checks readers' uploads (time and pixel limits), and stores a small square WebP
under MEDIA. Its name comes from the actor and the icon's URL, so a changed icon
is a new file (and a new address for browsers' caches) and the old one goes.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from masthead.discussion.models import Comment
from masthead.federation.blocks import is_blocked
from masthead.federation.models import RemoteActor
from masthead.lib import outbound, pagecache
from masthead.lib.tasks import run_later
from masthead.publishing.image_worker import check_and_clean

logger = logging.getLogger(__name__)

SIDE = 96  # pixels: a card shows it at 32 CSS pixels, sharp on a 3x screen
MAX_BYTES = 1024 * 1024
ACCEPT = "image/webp, image/png, image/jpeg, image/gif"


def name_for(actor: RemoteActor) -> str:
    """Where the actor's current icon is kept, or "" when it has none."""
    if not actor.icon_url:
        return ""
    digest = hashlib.sha256(f"{actor.uri}\n{actor.icon_url}".encode()).hexdigest()[:32]
    return f"avatars/remote/{digest}.webp"


def hold_later(actor: RemoteActor) -> None:
    """Fetch, replace or remove the actor's local copy in the background, when what
    is held is not its current icon."""
    if actor.avatar.name != name_for(actor):
        run_later(hold_avatar, actor.pk)


@task()
def hold_avatar(actor_id: int) -> str:
    """Bring the local copy in line with the actor's icon; what became of it."""
    actor = RemoteActor.objects.filter(pk=actor_id).first()
    if actor is None:
        return "gone"
    name = name_for(actor)
    if actor.avatar.name == name:
        return "kept"
    if not name or is_blocked(actor.uri):
        forget(actor)
        return "removed"
    try:
        picture = download(actor.icon_url)
    except (outbound.Refused, ValidationError) as exc:
        reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        logger.warning("Avatar of %s not kept: %s", actor.uri, reason)
        forget(actor)
        return "refused"
    return _store(actor, name, picture)


def download(url: str) -> ContentFile:
    """The picture at ``url``, checked and made a small square; Refused when it
    cannot be had, ValidationError when it is not a sound image."""
    answer = outbound.request("GET", url, headers={"Accept": ACCEPT}, max_bytes=MAX_BYTES)
    if not answer.ok:
        raise outbound.Refused(f"{url} answered {answer.status}.")
    return check_and_clean(ContentFile(answer.body, name="avatar"), square=SIDE)


def _store(actor: RemoteActor, name: str, picture: ContentFile) -> str:
    stored = name if default_storage.exists(name) else default_storage.save(name, picture)
    with transaction.atomic():
        current = RemoteActor.objects.select_for_update().filter(pk=actor.pk).first()
        # The icon changed, or the actor went or was blocked, while this one was fetched.
        if current is None or current.icon_url != actor.icon_url or is_blocked(actor.uri):
            transaction.on_commit(lambda: default_storage.delete(stored))
            return "stale"
        _replace(current, stored)
    return "stored"


def forget(actor: RemoteActor) -> None:
    """Remove the actor's local copy, if any (its account was deleted or blocked)."""
    with transaction.atomic():
        current = RemoteActor.objects.select_for_update().filter(pk=actor.pk).first()
        if current is not None and current.avatar:
            _replace(current, "")


def _replace(actor: RemoteActor, name: str) -> None:
    old = actor.avatar.name
    RemoteActor.objects.filter(pk=actor.pk).update(avatar=name)
    if old and old != name:
        transaction.on_commit(lambda: default_storage.delete(old))
    # Pages showing the old picture (or none) show the new one.
    comments = Comment.objects.filter(remote_note__actor=actor).only("post_id", "page_id")
    for key in {comment.target_key for comment in comments}:
        transaction.on_commit(lambda key=key: pagecache.invalidate(key))
