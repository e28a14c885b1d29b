"""Posting, editing, deleting and liking comments; thin over the services."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from masthead.discussion import cookies, origin, ratelimit, services, subscriptions, targets
from masthead.discussion.forms import CommentForm, validate_body
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.rendering import render_comment
from masthead.discussion.submissions import client_ip, submission_from_form
from masthead.publishing.models import Page, Post
from masthead.publishing.views.articles import render_page, render_post


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _show_form_again(request, post, form, status):
    form.refresh_token()
    if _wants_json(request):
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=status)
    render = render_page if isinstance(post, Page) else render_post
    return render(request, post, extra={"comment_form": form}, status=status)


@origin.same_site_posts
@require_POST
def post_comment(request):
    post = _target(request)
    config = DiscussionSettings.current()
    if not services.comments_open(post, config):  # before the form: a closed post asks nothing
        return _closed(request, post)
    form = CommentForm(request.POST, post=post, user=request.user)
    if not form.is_valid():
        return _show_form_again(request, post, form, 400)
    try:
        comment = services.post_comment(submission_from_form(request, post, form), config)
    except services.DiscussionClosed:
        return _closed(request, post)
    except services.TooManyComments as exc:
        form.add_error(None, str(exc))
        return _show_form_again(request, post, form, 429)
    return _posted(request, comment, form)


def _target(request) -> Post | Page:
    """The post, or the standing page, the form says the comment goes under."""
    if "comment_page_ID" in request.POST:
        model, pk = Page, request.POST.get("comment_page_ID")
    else:
        model, pk = Post, request.POST.get("comment_post_ID")
    found = targets.published(model, _int(pk))
    if found is None:
        raise Http404("No such article.")
    return found


def _closed(request, post):
    return render(request, "discussion/closed.html", {"post": post}, status=403)


def _posted(request, comment, form):
    data = form.cleaned_data
    notice = _confirmation_notice(comment, data)
    query = {}
    if not comment.is_visible:
        query = {"unapproved": comment.pk, "moderation-hash": cookies.moderation_hash(comment.pk)}
    if notice:
        query["subscribed"] = 1  # the page says so; an address with a query is never shared
    url = comment.target.get_absolute_url() + (f"?{urlencode(query)}" if query else "")
    url = f"{url}#comment-{comment.pk}"
    if _wants_json(request):
        html = render_comment(comment, request=request, own={comment.pk})
        response = JsonResponse(
            {
                "ok": True,
                "id": comment.pk,
                "status": services.status_for_author(comment),
                "html": html,
                "url": url,
                "notice": notice,
            }
        )
    else:
        response = HttpResponseRedirect(url)
    if not request.user.is_authenticated:  # an account remembers its own details
        details = {k: data[k] for k in ("author", "email", "url")} if data["remember"] else None
        cookies.remember_details(response, details)
    cookies.add_own_comment(request, response, comment.pk)
    return response


def _confirmation_notice(comment, data) -> str:
    """What to tell a reader whose ticked "Notify me" box now waits on an emailed link."""
    waiting = subscriptions.awaiting_confirmation(
        comment.author_email,
        target=comment.target if data["subscribe_comments"] else None,
        site=data["subscribe_blog"],
    )
    return subscriptions.CHECK_INBOX if waiting else ""


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("No such article.") from None
    if not 0 < number < 2**63:  # no key is out there; the databases refuse to look
        raise Http404("No such article.")
    return number


def _own_comment(request, pk) -> Comment:
    """The comment, if this browser or this user wrote it and may still change it."""
    comment = get_object_or_404(Comment.objects.select_related("post", "page"), pk=pk)
    mine = pk in cookies.own_comments(request) or (
        request.user.is_authenticated and comment.user_id == request.user.pk
    )
    if not mine or not services.can_still_edit(comment):
        raise Http404("This comment can no longer be changed.")
    return comment


@origin.same_site_posts
def edit_comment(request, pk):
    comment = _own_comment(request, pk)
    error = ""
    if request.method == "POST":
        body = request.POST.get("comment", "")
        try:
            validate_body(body)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            services.edit_comment(comment, body)
            return HttpResponseRedirect(comment.get_absolute_url())
    return render(
        request,
        "discussion/edit.html",
        {"comment": comment, "error": error, "body": request.POST.get("comment", comment.body)},
        status=400 if error else 200,
    )


@origin.same_site_posts
def delete_comment(request, pk):
    comment = _own_comment(request, pk)
    if request.method == "POST":
        post_url = comment.target.get_absolute_url()
        services.delete_comment(comment)
        return HttpResponseRedirect(f"{post_url}#comments")
    return render(request, "discussion/delete.html", {"comment": comment})


READER_COOKIE = "masthead_reader"


def _reader_id(request) -> str:
    """A random id for this browser, so one reader likes a comment once."""
    return request.COOKIES.get(READER_COOKIE, "")[:64] or secrets.token_urlsafe(18)


def _fingerprint(reader_id: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{reader_id}".encode()).hexdigest()


@origin.same_site_posts
@require_POST
def like_comment(request, pk):
    comment = get_object_or_404(Comment.objects.public().select_related("post", "page"), pk=pk)
    reader = _reader_id(request)
    # Clearing cookies gives a new id, so each address may only like so often.
    limited = ratelimit.check_likes(client_ip(request))
    liked = False if limited else services.like_comment(comment, _fingerprint(reader))
    comment.refresh_from_db(fields=["like_count"])
    if _wants_json(request):
        response = JsonResponse({"liked": liked, "likes": comment.like_count})
    else:
        response = HttpResponseRedirect(comment.get_absolute_url())
    cookies.set_cookie(response, READER_COOKIE, reader)
    return response
