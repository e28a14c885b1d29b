"""The desk's record of Fediverse deliveries: failures first, the servers failing now,
and "retry now" for one delivery or a whole server. For those who see the Fediverse page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from masthead.desk import access
from masthead.desk.menu import menu
from masthead.federation import deliveries, services
from masthead.federation.models import UNDELIVERED, Delivery, DeliveryState, RemoteServer

PER_PAGE = 50
# The tabs: what each shows.
SHOWN = {
    "": None,
    "failed": UNDELIVERED,
    "delivered": (DeliveryState.DELIVERED,),
    "pending": (DeliveryState.PENDING,),
}


@access.moderators_only
def index(request):
    shown = request.GET.get("state", "")
    shown = shown if shown in SHOWN else ""
    rows = Delivery.objects.failures_first().defer("activity")
    if SHOWN[shown]:
        rows = rows.filter(state__in=SHOWN[shown])
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    tabs = [(name, "?" + urlencode({"state": name}) if name else "") for name in SHOWN]
    context = {
        **menu(request, "fediverse"),
        "servers": deliveries.failing_servers(),
        "page": page,
        "rows": page.object_list,
        "tabs": tabs,
        "shown": shown,
        "query": urlencode({"state": shown}) if shown else "",
        "dead_after": deliveries.dead_after().days,
    }
    return render(request, "desk/fediverse_deliveries.html", context)


@access.moderators_only
@require_POST
def retry(request, pk):
    delivery = get_object_or_404(Delivery, pk=pk)
    if not delivery.retryable:
        messages.error(request, "That delivery is not waiting to be retried.")
    else:
        services.retry_delivery(delivery)
        messages.success(request, f"{delivery} is being sent again.")
    return redirect("desk:fediverse-deliveries")


@access.moderators_only
@require_POST
def retry_server(request, pk):
    server = get_object_or_404(RemoteServer, pk=pk)
    count = services.retry_server(server)
    messages.success(
        request,
        f"{server.host} is no longer marked unreachable; "
        f"{count} {'delivery' if count == 1 else 'deliveries'} being sent again.",
    )
    return redirect("desk:fediverse-deliveries")
