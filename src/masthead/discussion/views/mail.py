"""Pages behind the links in emails.

Mail scanners open every link they see, so a GET only shows a page; the
change happens when the person presses its button (a POST). The token in the
address is the authority, and the pages are never cached.
"""

import json
from functools import wraps

from django import forms
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from masthead.discussion import privacy as readers_data
from masthead.discussion import services, subscriptions, tokens
from masthead.discussion.models import Comment, CommentStatus, Subscription

# The secret address never leaves for another site in a Referer. Not
# "no-referrer": the browser would then post the page's forms with "Origin: null",
# which Django's CSRF check refuses, so no button here would work.
TOKEN_REFERRER_POLICY = "same-origin"


def token_page(view):
    """Uncached, unindexed, and the secret address is never sent to another site."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = TOKEN_REFERRER_POLICY
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapper)


def _expired(request):
    return render(request, "discussion/mail/expired.html", status=404)


@token_page
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_subscription(request, token):
    subscription = Subscription.objects.select_related("post", "page").filter(token=token).first()
    if subscription is None:
        return _expired(request)
    if request.method == "POST":
        subscriptions.confirm_subscription(token)
        return redirect(request.path)
    return render(request, "discussion/mail/confirm.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: mail clients POST here without cookies; the token is the proof.
@token_page
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        subscription = subscriptions.unsubscribe(token)
        context = {"done": True, "subscription": subscription}
    else:
        subscription = (
            Subscription.objects.select_related("post", "page").filter(token=token).first()
        )
        context = {"done": subscription is None, "subscription": subscription}
    return render(request, "discussion/mail/unsubscribe.html", context)


MODERATION_ACTIONS = {"approve": services.approve_comment, "spam": services.mark_spam}


@token_page
@require_http_methods(["GET", "HEAD", "POST"])
def moderate_comment(request, token):
    emailed = tokens.read_moderation_token(token)
    comments = Comment.objects.select_related("post", "page")
    comment = emailed and comments.filter(pk=emailed.comment_id).first()
    if not comment:
        return _expired(request)
    # A link acts once, and only on the text its email showed.
    stale = "changed" if emailed.changed(comment) else "used" if emailed.used(comment) else ""
    if request.method == "POST" and not stale:
        action = MODERATION_ACTIONS.get(request.POST.get("action"))
        if action is None:
            return HttpResponseBadRequest("Unknown action.")
        if services.moderate_by_link(comment, token, action):
            return redirect(request.path)
        stale = "used"
    context = {
        "comment": comment,
        "suggested": request.GET.get("action"),
        "statuses": CommentStatus,
        "stale": stale,
    }
    status = 409 if request.method == "POST" else 200
    return render(request, "discussion/mail/moderate.html", context, status=status)


class PrivacyRequestForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_privacy(request):
    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        readers_data.request_privacy_link(form.cleaned_data["email"])
        return render(request, "discussion/mail/privacy_sent.html", {"form": form})
    return render(request, "discussion/mail/privacy_request.html", {"form": form})


def _privacy_email(view):
    @wraps(view)
    def wrapper(request, token):
        email = tokens.read_privacy_token(token)
        if email is None:
            return _expired(request)
        return view(request, token, email)

    return token_page(wrapper)


@_privacy_email
@require_http_methods(["GET", "HEAD"])
def privacy(request, token, email):
    context = {
        "email": email,
        "token": token,
        "comment_count": readers_data.comments_by(email).count(),
        "erased": request.GET.get("erased"),
    }
    return render(request, "discussion/mail/privacy.html", context)


@_privacy_email
@require_http_methods(["GET", "HEAD"])
def export_comments(request, token, email):
    data = json.dumps(readers_data.export_comments(email), indent=2, ensure_ascii=False)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="my-comments.json"'
    return response


@_privacy_email
@require_POST
def erase_comments(request, token, email):
    count = readers_data.erase_comments(email)
    return redirect(f"{reverse('discussion:privacy', args=[token])}?erased={count}")
