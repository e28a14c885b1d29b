"""The Fediverse's way in: discovery, the actor and its collections, the inbox."""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from masthead.discussion import ratelimit
from masthead.discussion.models import Comment
from masthead.discussion.submissions import client_ip
from masthead.federation import blocks, deliveries, documents, inbox, remote, signatures
from masthead.federation.models import Follower, LocalNote, RemoteNote
from masthead.publishing.models import Post

logger = logging.getLogger(__name__)
MAX_BODY = 256 * 1024
# Activities one remote host may send a minute.
PER_HOST_PER_MINUTE = 120
# Several small servers may share an address (one host, a relay): more room per address.
PER_ADDRESS_PER_MINUTE = 4 * PER_HOST_PER_MINUTE
PAGE_SIZE = 20


def activity_json(doc: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(doc, status=status, content_type=documents.CONTENT_TYPE)
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def webfinger(request):
    resource = request.GET.get("resource", "")
    subject = f"acct:{documents.username()}@{documents.host()}"
    if resource.lower() not in (subject.lower(), documents.actor_id().lower()):
        return JsonResponse({"error": f"Only {subject} is known here."}, status=404)
    doc = {
        "subject": subject,
        "aliases": [documents.actor_id()],
        "links": [
            {"rel": "self", "type": documents.CONTENT_TYPE, "href": documents.actor_id()},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": documents.absolute("/"),
            },
        ],
    }
    return JsonResponse(doc, content_type="application/jrd+json")


@require_GET
def host_meta(request):
    template = documents.absolute(reverse("federation:webfinger")) + "?resource={uri}"
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">'
        f'<Link rel="lrdd" template="{template}"/></XRD>'
    )
    return HttpResponse(xml, content_type="application/xrd+xml")


@require_GET
def nodeinfo_links(request):
    href = documents.absolute(reverse("federation:nodeinfo"))
    return JsonResponse(
        {"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": href}]}
    )


@require_GET
def nodeinfo(request):
    return JsonResponse(
        {
            "version": "2.0",
            "software": {"name": "masthead", "version": "1"},
            "protocols": ["activitypub"],
            "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
            "openRegistrations": False,
            "usage": {
                "users": {"total": 1},
                "localPosts": Post.objects.published().count(),
            },
            "metadata": {"nodeName": settings.SITE_NAME},
        }
    )


@require_GET
def actor(request):
    return activity_json(documents.actor())


@require_GET
def outbox(request):
    ident = documents.absolute(reverse("federation:outbox"))
    posts = Post.objects.published().select_related("lead_figure").order_by("-published_at", "-id")
    pages = Paginator(posts, PAGE_SIZE)
    if "page" not in request.GET:
        return activity_json(
            {
                "@context": documents.AS,
                "id": ident,
                "type": "OrderedCollection",
                "totalItems": pages.count,
                "first": f"{ident}?page=1",
                "last": f"{ident}?page={pages.num_pages}",
            }
        )
    try:
        page = pages.page(int(request.GET["page"]))
    except (ValueError, EmptyPage, PageNotAnInteger):
        raise Http404("No such page.") from None
    doc = {
        "@context": documents.AS,
        "id": f"{ident}?page={page.number}",
        "type": "OrderedCollectionPage",
        "partOf": ident,
        "orderedItems": [documents.activity("Create", documents.article(p)) for p in page],
    }
    if page.has_next():
        doc["next"] = f"{ident}?page={page.next_page_number()}"
    if page.has_previous():
        doc["prev"] = f"{ident}?page={page.previous_page_number()}"
    return activity_json(doc)


@require_GET
def followers(request):
    ident = documents.absolute(reverse("federation:followers"))
    # The count is public, as on Mastodon; who follows is not shown.
    return activity_json(documents.collection(ident, [], total=Follower.objects.count()))


@require_GET
def replies(request, pk):
    post = get_object_or_404(Post.objects.published(), pk=pk)
    ident = documents.absolute(reverse("federation:replies", args=[pk]))
    shown = Comment.objects.visible().filter(post=post, deleted_at__isnull=True).order_by("pk")
    remote_uris = dict(
        RemoteNote.objects.filter(comment__in=shown).values_list("comment_id", "uri")
    )
    items = [remote_uris.get(c.pk) or documents.comment_id(c) for c in shown]
    return activity_json(documents.collection(ident, items))


@require_GET
def comment(request, pk):
    found = get_object_or_404(
        Comment.objects.visible().filter(
            deleted_at__isnull=True, post__in=Post.objects.published()
        ),
        pk=pk,
    )
    if hasattr(found, "remote_note"):
        raise Http404("That comment lives on another server.")
    parent = found.parent
    in_reply_to = documents.post_id(found.post)
    if parent is not None:
        note = RemoteNote.objects.filter(comment=parent).first()
        in_reply_to = note.uri if note else documents.comment_id(parent)
    doc = documents.comment_note(found, in_reply_to=in_reply_to, to=[documents.PUBLIC])
    doc["content"] = f"<p><strong>{escape(found.author_name)}</strong></p>{found.body_html}"
    return activity_json(doc)


@require_GET
def note(request, pk):
    """A reply the publication sent from the desk, for the servers that fetch it."""
    return activity_json(documents.local_note(get_object_or_404(LocalNote, pk=pk)))


def article(request, post) -> JsonResponse:
    return activity_json(documents.article(post))


@csrf_exempt
@require_POST
def inbox_view(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        return _refuse(413, "The activity is too large.")
    body = request.body
    if len(body) > MAX_BODY:
        return _refuse(413, "The activity is too large.")
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        signed = signatures.parse("POST", request.get_full_path(), headers, body)
    except signatures.BadSignature as exc:
        return _refuse(401, str(exc))
    # Before the signature is checked, the only thing known of the sender is its
    # address; a keyId naming someone else's server must not use up that server's share.
    address = client_ip(request) or "unknown"
    limited = ratelimit.check_activities(f"address:{address}", PER_ADDRESS_PER_MINUTE)
    if limited:
        return _refuse(429, limited)
    sender_host = (urlsplit(signed.key_id).hostname or "").lower()
    if blocks.is_blocked(signed.key_id):
        return _refuse(403, "This site does not take activities from your server.")
    try:
        sender = _verified_sender(signed)
    except signatures.BadSignature as exc:
        return _refuse(401, str(exc))
    except remote.Unreachable as exc:
        return _refuse(401, f"The signing key could not be fetched: {exc}")
    if not signatures.claim_once(signed):
        return _refuse(401, "This signed request was already received.")
    limited = ratelimit.check_activities(sender_host, PER_HOST_PER_MINUTE)
    if limited:
        return _refuse(429, limited)
    try:
        activity = json.loads(body)
    except ValueError:
        return _refuse(400, "The body is not JSON.")
    if not isinstance(activity, dict):
        return _refuse(400, "The body is not a JSON object.")
    if inbox._id(activity.get("actor")) != sender.uri:
        return _refuse(401, "The activity's actor is not the one who signed it.")
    if blocks.is_blocked(sender.uri):
        return _refuse(403, "This site does not take activities from your account.")
    # Heard from first: an Accept for this very Follow must not be skipped.
    deliveries.heard_from(sender_host)
    done = inbox.handle(activity, sender)
    logger.info(
        "Inbox: %s %s from %s: %s", activity.get("type"), activity.get("id"), sender.uri, done
    )
    return JsonResponse({"result": done}, status=202)


def _verified_sender(signed):
    """The actor whose key made the signature; refetched once, for a rotated key."""
    sender = remote.actor_for_key(signed.key_id)
    try:
        signatures.verify(signed, sender.public_pem)
    except signatures.BadSignature:
        sender = remote.actor_for_key(signed.key_id, refresh=True)
        signatures.verify(signed, sender.public_pem)
    return sender


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)
