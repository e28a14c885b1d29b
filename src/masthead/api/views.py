"""Making and revoking API tokens from the profile page; the secret is shown once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from masthead.api import tokens
from masthead.api.forms import TokenForm


def _staff(request):
    if not tokens.may_hold_tokens(request.user):
        raise PermissionDenied("API tokens are for staff who moderate or write.")


@never_cache
@login_required
@require_POST
def create_token(request):
    _staff(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("identity:profile")
    token, secret = tokens.issue_token(
        request.user, form.cleaned_data["name"], expires_at=form.expires_at
    )
    # Rendered, not redirected: the secret must not wait in a cookie or the session.
    return render(request, "api/token_created.html", {"token": token, "secret": secret})


@never_cache
@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    tokens.revoke_token(token)
    messages.success(request, f"The token “{token.name}” is revoked; it opens nothing now.")
    return redirect("identity:profile")


def no_such_endpoint(request):
    return JsonResponse({"detail": "No such endpoint; /api/v1/docs lists them all."}, status=404)
