"""API tokens on the desk: staff make their own (the secret shown once) and revoke them;
those who run the site see everyone's, with when each was last used, and revoke any.
Thin over api.tokens, which the profile page uses too."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from masthead.api import tokens
from masthead.api.forms import TokenForm
from masthead.desk import access
from masthead.desk.menu import menu


def _render(request, template, **context):
    return render(request, f"desk/tokens/{template}", {**menu(request, "tokens"), **context})


@access.desk_staff_only
@require_http_methods(["GET", "POST"])
def index(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = tokens.issue_token(
            request.user, form.cleaned_data["name"], expires_at=form.expires_at
        )
        # Rendered, not redirected: the secret must not wait in a cookie or the session.
        return _render(request, "created.html", token=token, secret=secret)
    seen = tokens.tokens_seen_by(request.user)
    everyone = access.can_manage_all_tokens(request.user)
    return _render(
        request,
        "list.html",
        form=form,
        mine=seen.filter(user=request.user),
        others=seen.exclude(user=request.user) if everyone else None,
    )


@access.desk_staff_only
@require_POST
def revoke(request, pk):
    token = get_object_or_404(tokens.tokens_seen_by(request.user), pk=pk)
    tokens.revoke_token(token)
    messages.success(request, f"The token “{token.name}” is revoked; it opens nothing now.")
    return redirect("desk:tokens")
