"""The discussion under an article: thread, counts and the reply form."""

from django import template
from django.conf import settings
from django.db.models import Q

from masthead.discussion import caching, cookies, feeds, rendering, services, subscriptions
from masthead.discussion.forms import CommentForm
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.querysets import target_field
from masthead.discussion.thread import build_thread
from masthead.identity import commenter
from masthead.lib import pagecache

register = template.Library()


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 12 else None


def _held_for_this_reader(request, post, shared) -> set[int]:
    """Held comments this page may show, to their author alone: the one named by the
    link given after posting, and, on a page rendered for one reader, their own."""
    held = set()
    pk = _int(request.GET.get("unapproved"))
    if pk and cookies.may_see_unapproved(pk, request.GET.get("moderation-hash", "")):
        held.add(pk)
    if not shared:
        mine = Q(pk__in=list(cookies.own_comments(request)))
        if request.user.is_authenticated:
            mine |= Q(user=request.user)
        own = Comment.objects.held_to_author().on(post).filter(mine)
        held.update(own.values_list("pk", flat=True))
    return held


def _notice(request, shared) -> str:
    # Set by the redirect after posting; a shared page carries no query, so never this.
    return subscriptions.CHECK_INBOX if not shared and request.GET.get("subscribed") == "1" else ""


def _reply_target(request, post) -> Comment | None:
    pk = _int(request.GET.get("replytocom"))
    if pk is None:
        return None
    return Comment.objects.visible().on(post).filter(pk=pk).first()


@register.inclusion_tag("discussion/_discussion.html", takes_context=True)
def discussion(context, post):
    """The discussion under ``post``: an article, or a standing page."""
    request = context["request"]
    config = DiscussionSettings.current()
    shared = pagecache.is_shared(request)
    if shared:
        caching.cache_discussion(request, post, config)
    thread = build_thread(post, include_pending=_held_for_this_reader(request, post, shared))
    reply_to = _reply_target(request, post)
    form = context.get("comment_form")
    # A page anyone may be given holds nothing of this browser's; its script asks.
    remembered = {} if shared else cookies.remembered_details(request)
    if form is None:
        initial = {**remembered, "comment_parent": reply_to.pk if reply_to else None}
        form = CommentForm(post=post, user=request.user, initial=initial)
        if shared:
            caching.fresh_form_token(request, form, post)
    names = commenter.provider_names(request)
    here = post.get_absolute_url()
    is_open = services.comments_open(post, config)
    own = {} if shared else cookies.own_comments(request)
    csrf = str(context.get("csrf_token")) if request.user.is_authenticated else ""
    return {
        "request": request,
        "user": request.user,
        "commenter": commenter.commenter_for(request),
        "providers": [] if request.user.is_authenticated else _choices(request, here),
        "provider_names": names,
        "site_name": settings.SITE_NAME,
        "post": post,
        "target_field": target_field(post),
        "feed_url": feeds.feed_url(post),
        "thread": thread,
        "thread_html": rendering.render_comments(
            thread, open=is_open, own=own, csrf_token=csrf, provider_names=names
        ),
        "count": _count(thread),
        "form": form,
        "open": is_open,
        "reply_to": reply_to,
        "remembered": remembered,
        "notice": _notice(request, shared),
        "shared": shared,
        "csrf_token": context.get("csrf_token"),
    }


def _choices(request, here):
    return commenter.configured_providers(request, next_url=f"{here}#respond")


def _count(nodes) -> int:
    return sum(
        (not n.comment.is_deleted and n.comment.is_visible) + _count(n.replies) for n in nodes
    )
