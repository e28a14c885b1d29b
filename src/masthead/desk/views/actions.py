"""Moderating comments from the queue, one or several at a time; thin over desk.actions."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from masthead.desk import access, actions, queue
from masthead.desk.filters import QueueFilters
from masthead.desk.forms import BulkForm, TextForm
from masthead.desk.responses import done, refused
from masthead.discussion.models import Comment, CommentStatus


def _comment(pk) -> Comment:
    return get_object_or_404(Comment.objects.select_related("post", "page", "user"), pk=pk)


@access.moderators_only
@require_POST
def moderate(request, pk):
    filters = QueueFilters.read(request.POST)
    verb = request.POST.get("verb")
    if verb not in actions.MODERATION:
        return refused(request, filters, "That is not something the desk can do.")
    comment = _comment(pk)
    said = actions.moderate([comment], verb, by=request.user)
    return done(request, filters, f"Comment by {comment.author_name} {said}.", [comment])


@access.moderators_only
@require_POST
def bulk(request):
    filters = QueueFilters.read(request.POST)
    form = BulkForm(request.POST)
    if not form.is_valid():
        return refused(
            request, filters, " ".join(form.errors.get("__all__", ["Choose an action."]))
        )
    comments = list(queue.comments_by_id(form.ids))
    said = actions.moderate(comments, form.cleaned_data["verb"], by=request.user)
    count = len(comments)
    noun = "comment" if count == 1 else "comments"
    return done(request, filters, f"{count} {noun} {said}.", comments)


@access.moderators_only
@require_POST
def edit(request, pk):
    filters = QueueFilters.read(request.POST)
    comment = _comment(pk)
    form = TextForm(request.POST)
    if comment.is_deleted:
        return refused(request, filters, "This comment was withdrawn by its author.")
    if not form.is_valid():
        return refused(request, filters, " ".join(form.errors["body"]))
    actions.edit(comment, form.cleaned_data["body"])
    return done(request, filters, f"Comment by {comment.author_name} edited.", [comment])


@access.moderators_only
@require_POST
def reply(request, pk):
    filters = QueueFilters.read(request.POST)
    parent = _comment(pk)
    form = TextForm(request.POST)
    if not form.is_valid():
        return refused(request, filters, " ".join(form.errors["body"]))
    ip = request.META.get("REMOTE_ADDR") or None
    held = parent.status == CommentStatus.PENDING
    try:
        answer = actions.reply(parent, form.cleaned_data["body"], by=request.user, ip_address=ip)
    except actions.CommentRefused as exc:
        return refused(request, filters, str(exc))
    said = "published" if answer.is_visible else "stored but not published"
    approved = " and their comment approved" if held and parent.is_visible else ""
    message = f"Your reply to {parent.author_name} was {said}{approved}."
    return done(request, filters, message, [parent])


@access.moderators_only
@require_http_methods(["GET", "POST"])
def empty_spam(request):
    filters = QueueFilters.read(request.POST or request.GET)
    if not access.can_delete(request.user):
        raise PermissionDenied
    if request.method == "POST":
        count = actions.empty_spam(by=request.user)
        noun = "comment" if count == 1 else "comments"
        return done(request, filters, f"{count} spam {noun} deleted for good.")
    counts = queue.status_counts()
    return render(
        request, "desk/moderation/empty_spam.html", {"counts": counts, "filters": filters}
    )
