"""The desk's Fediverse page: followers, accounts followed, likes and boosts, and the
blocks the inbox keeps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from masthead.desk import access
from masthead.desk.menu import menu
from masthead.federation import documents, services
from masthead.federation.models import (
    Block,
    Follower,
    Following,
    FollowingState,
    Reaction,
    RemoteServer,
)


@access.moderators_only
@require_http_methods(["GET", "POST"])
def fediverse(request):
    if request.method == "POST":
        try:
            block = services.add_block(
                request.POST.get("target", ""), request.POST.get("reason", "")
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Blocked {block}.")
            return redirect("desk:fediverse")
    context = {
        **menu(request, "fediverse"),
        "handle": f"@{documents.username()}@{documents.host()}",
        "followers": Follower.objects.count(),
        "following": Following.objects.filter(state=FollowingState.ACCEPTED).count(),
        "reactions": Reaction.objects.count(),
        "blocks": Block.objects.all(),
        "failing": RemoteServer.objects.count(),
        "unreachable": RemoteServer.objects.filter(unreachable_since__isnull=False).count(),
        "typed": request.POST.get("target", ""),
    }
    return render(request, "desk/fediverse.html", context)


@access.moderators_only
@require_POST
def unblock(request, pk):
    services.remove_block(pk)
    messages.success(request, "Block removed.")
    return redirect("desk:fediverse")
