"""How an action answers: JSON for desk.js, else a redirect back to the same view of
the queue with the outcome in a message."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse

from masthead.desk import queue
from masthead.desk.actions import OFFERED
from masthead.desk.filters import QueueFilters


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def with_verbs(comment):
    """The buttons a row shows depend on where the comment now is."""
    comment.desk_verbs = OFFERED[comment.status]
    return comment


def render_row(request, comment, filters: QueueFilters) -> str:
    context = {"comment": with_verbs(comment), "filters": filters}
    return render_to_string("desk/moderation/_row.html", context, request=request)


def done(request, filters: QueueFilters, message: str, comments=()):
    if wants_json(request):
        rows = {str(c.pk): render_row(request, c, filters) for c in comments if c.pk}
        counts = queue.status_counts()
        tab_counts = queue.status_counts(filters.post) if filters.post else counts
        answer = {"rows": rows, "counts": counts, "tab_counts": tab_counts}
        return JsonResponse({"ok": True, "message": message, **answer})
    messages.success(request, message)
    return back(filters)


def refused(request, filters: QueueFilters, message: str):
    if wants_json(request):
        return JsonResponse({"ok": False, "message": message}, status=400)
    messages.error(request, message)
    return back(filters)


def back(filters: QueueFilters):
    return redirect(reverse("desk:moderation") + filters.query())
