"""The moderators' back office. Every change to a comment goes through services."""

from django.contrib import admin
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from masthead.discussion import services, signals
from masthead.discussion.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    DiscussionSettings,
    Subscription,
)

# The service behind each status a moderator may set.
STATUS_SERVICES = {
    CommentStatus.APPROVED: services.approve_comment,
    CommentStatus.SPAM: services.mark_spam,
    CommentStatus.TRASH: services.trash_comment,
    CommentStatus.PENDING: services.hold_comment,
}
AUTHOR_FIELDS = ["author_name", "author_email", "author_url"]
CONTEXT_FIELDS = [
    "post",
    "page",
    "parent",
    "created_at",
    "edited_at",
    "ip_address",
    "user_agent",
    "spam_score",
    "moderation_note",
    "like_count",
]


class StatusFilter(admin.SimpleListFilter):
    """The moderation queue: opens on pending, with a count for every status."""

    title = "status"
    parameter_name = "status"
    default = CommentStatus.PENDING

    def lookups(self, request, model_admin):
        rows = model_admin.get_queryset(request).order_by().values_list("status")
        counts = dict(rows.annotate(n=Count("pk")))
        yield "all", f"All ({sum(counts.values())})"
        for value, label in CommentStatus.choices:
            yield value, f"{label} ({counts.get(value, 0)})"

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        return queryset.filter(status=self.value())


class RevisionInline(admin.TabularInline):
    """The edit history: earlier texts, newest first, for moderators to read."""

    model = CommentRevision
    fields = readonly_fields = ["replaced_at", "body"]
    extra = 0
    can_delete = False
    verbose_name_plural = "Earlier versions"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "author",
        "text",
        "on_post",
        "status",
        "created_at",
        "moderation_note",
        "score",
        "like_count",
    ]
    list_filter = [StatusFilter]
    list_select_related = ["post", "page", "user"]
    search_fields = ["author_name", "author_email", "body", "ip_address"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ["approve_selected", "spam_selected", "trash_selected", "delete_selected_for_good"]
    inlines = [RevisionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    ordering = ["-created_at", "-pk"]
    fieldsets = [
        (None, {"fields": ["body", "status"]}),
        ("Author", {"fields": [*AUTHOR_FIELDS, "user", "provider"]}),
        ("Context", {"fields": CONTEXT_FIELDS}),
    ]
    readonly_fields = ["user", "provider", *CONTEXT_FIELDS]

    def has_add_permission(self, request):
        # Comments come from readers, importers and the API, never from the back office.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        # The stock action deletes rows in bulk, past the service that keeps threads whole.
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_deleted:
            return ["body", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description="Author", ordering="author_name")
    def author(self, obj):
        badge = ""
        if obj.user is not None:
            badge = format_html(
                ' <span class="provider-badge" title="{}">{}</span>',
                obj.user.get_username(),
                obj.provider or "account",
            )
        return format_html("{}<br><small>{}</small>{}", obj.author_name, obj.author_email, badge)

    @admin.display(description="Comment")
    def text(self, obj):
        return obj.excerpt(120)

    @admin.display(description="On", ordering="post__title")
    def on_post(self, obj):
        """The post or standing page commented on."""
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.target.title)

    @admin.display(description="Spam score", ordering="spam_score", empty_value="–")
    def score(self, obj):
        return None if obj.spam_score is None else f"{obj.spam_score:.2f}"

    def save_model(self, request, obj, form, change):
        """Author details are saved as typed; text and status through their services."""
        body, status = obj.body, obj.status
        obj.body = form.initial.get("body", body)
        obj.status = form.initial.get("status", status)
        changed_author = [name for name in AUTHOR_FIELDS if name in form.changed_data]
        if changed_author:
            obj.save(update_fields=changed_author)
            key = obj.target_key
            transaction.on_commit(lambda: signals.discussion_changed.send(Comment, key=key))
        if "body" in form.changed_data:
            services.edit_comment(obj, body)
        if "status" in form.changed_data:
            STATUS_SERVICES[status](obj, by=request.user)

    def get_deleted_objects(self, objs, request):
        """Only the comments: a reply is never deleted along with its parent."""
        comments = list(objs)
        count = {self.opts.verbose_name_plural: len(comments)}
        return [str(c) for c in comments], count, set(), []

    def delete_model(self, request, obj):
        services.delete_comment(obj, by=request.user)

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, services.approve_comment, "approved")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def spam_selected(self, request, queryset):
        self._moderate(request, queryset, services.mark_spam, "marked as spam")

    @admin.action(description="Move selected comments to the trash", permissions=["change"])
    def trash_selected(self, request, queryset):
        self._moderate(request, queryset, services.trash_comment, "moved to the trash")

    @admin.action(description="Delete selected comments permanently", permissions=["delete"])
    def delete_selected_for_good(self, request, queryset):
        comments = _replies_first(queryset)
        for comment in comments:
            services.delete_comment(comment, by=request.user)
        # A deleted row loses its pk; a withdrawn one keeps it.
        withdrawn = sum(1 for comment in comments if comment.pk is not None)
        done = "deleted"
        if withdrawn:
            done += f" ({withdrawn} with replies kept in place as “deleted”)"
        self._report(request, len(comments), done)

    def _moderate(self, request, queryset, service, done):
        # One call per comment, so everything listening for decisions hears each one.
        comments = list(queryset)
        for comment in comments:
            service(comment, by=request.user)
        self._report(request, len(comments), done)

    def _report(self, request, count, done):
        self.message_user(request, f"{count} {model_ngettext(self.opts, count)} {done}.")


def _replies_first(queryset) -> list[Comment]:
    """Deepest first, so a reply deleted with its parent leaves the parent free to go too."""
    return list(queryset.order_by("-depth", "-created_at", "-pk"))


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    """One row of site rules: the list is skipped and the row never goes away."""

    def has_add_permission(self, request):
        # The list page creates the row on first visit; there is never a second.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        config = DiscussionSettings.current()
        return redirect(reverse("admin:discussion_discussionsettings_change", args=[config.pk]))


class ConfirmedFilter(admin.SimpleListFilter):
    title = "confirmed"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Readers subscribe and confirm by email; the back office only looks and removes."""

    list_display = ["email", "topic", "confirmed_at", "created_at"]
    list_select_related = ["post", "page"]
    list_filter = [ConfirmedFilter]
    search_fields = ["email"]
    fields = readonly_fields = ["email", "post", "page", "confirmed_at", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Following", ordering="post__title")
    def topic(self, obj):
        return obj.target.title if obj.target else "New posts (whole site)"
