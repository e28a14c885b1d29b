"""The desk's front page: what waits for whoever runs the site, by what they may do."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from masthead.desk import access, dashboard, queue


@access.desk_staff_only
@require_GET
def index(request):
    user = request.user
    context = {
        "desk_section": "dashboard",
        "can_moderate": access.can_moderate(user),
        "can_write": access.can_write(user),
        "recent": dashboard.recent_comments(),
    }
    if context["can_moderate"]:
        context["counts"] = queue.status_counts()
        context["held"] = dashboard.held_comments()
    if context["can_write"]:
        context["drafts"] = dashboard.drafts(user)
        context["scheduled"] = dashboard.scheduled(user)
    return render(request, "desk/dashboard.html", context)
