"""The editors' back office. Writes go through services; roles come from roles.py."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import model_ngettext
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from masthead.publishing import markup, permissions, services
from masthead.publishing.admin_editor import PostEditorAdminMixin
from masthead.publishing.admin_revisions import RevisionsAdminMixin
from masthead.publishing.forms import (
    BylineNameForm,
    CategoryAdminForm,
    FigureAdminForm,
    PageAdminForm,
    PostAdminForm,
)
from masthead.publishing.models import (
    Author,
    Byline,
    Category,
    CommentStatus,
    Figure,
    Page,
    Post,
    PostNote,
    Status,
    Tag,
)

admin.site.site_header = admin.site.site_title = f"{settings.SITE_NAME} admin"


class PreviewLinkMixin:
    """Adds a Preview link to the change form; "View on site" only once readers can."""

    change_form_template = "admin/publishing/preview_change_form.html"
    preview_url_name = ""

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["preview_url"] = reverse(self.preview_url_name, args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)


class BylineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "Remove this byline"


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name_plural = "Bylines (in order of position)"

    # A table row names its cells only by the column heading, which labels no
    # input; each input carries its own name so a screen reader can say it.
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        names = {"author": "Byline author", "position": "Byline position"}
        if field is not None and db_field.name in names:
            field.widget.attrs["aria-label"] = names[db_field.name]
        return field


class PostNoteInline(admin.StackedInline):
    """Corrections and updates, shown under the article with their date.

    They are part of the post: whoever may change the post may note on it.
    """

    model = PostNote
    fields = ["kind", "text", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0
    verbose_name = "correction or update note"
    verbose_name_plural = "Corrections and updates (dated, under the article and in feeds)"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("publishing.view_post") or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("publishing.change_post")

    def has_add_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


@admin.register(Post)
class PostAdmin(RevisionsAdminMixin, PostEditorAdminMixin, PreviewLinkMixin, admin.ModelAdmin):
    form = PostAdminForm
    change_form_template = "admin/publishing/post/change_form.html"
    preview_url_name = "publishing:preview-post"
    list_display = [
        "title",
        "status",
        "published_at",
        "byline",
        "category_list",
        "comment_status",
    ]
    list_filter = ["status", "categories", "tags", "authors", "comment_status"]
    date_hierarchy = "published_at"
    search_fields = ["title", "body", "excerpt"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead_figure", "categories", "tags"]
    inlines = [BylineInline, PostNoteInline]
    actions = ["publish_selected", "unpublish_selected", "close_comments", "open_comments"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "comment_status", "sticky"]}),
        ("Illustration and filing", {"fields": ["lead_figure", "categories", "tags"]}),
    ]

    def get_queryset(self, request):
        posts = super().get_queryset(request).prefetch_related("bylines__author", "categories")
        return permissions.editable_posts(request.user, posts)

    def get_object(self, request, object_id, from_field=None):
        post = super().get_object(request, object_id, from_field)
        # An author asking for someone else's post learns nothing, not even that it exists.
        if post is None and not permissions.is_editor(request.user):
            raise Http404("No such post.")
        return post

    def _may_touch(self, request, obj):
        return obj is None or permissions.editable_posts(request.user).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_touch(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("publishing.publish_post")

    def get_readonly_fields(self, request, obj=None):
        if self.has_publish_permission(request):
            return self.readonly_fields
        return [*self.readonly_fields, "status", "published_at"]

    def save_model(self, request, obj, form, change):
        services.save_post(obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not PostNote:
            return super().save_formset(request, form, formset, change)
        notes = formset.save(commit=False)
        for note in formset.deleted_objects:
            note.delete()
        for note in notes:
            services.save_note(note)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        # Authors keep their own byline, or they would lose the post they saved;
        # an editor who names no one wrote the post, so it is not left unsigned.
        if not permissions.is_editor(request.user) or not post.bylines.exists():
            name = form.cleaned_data.get("byline_name", "")
            services.add_byline(post, services.author_for(request.user, name))

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Someone writing with no byline and no name is asked once how they sign,
        # rather than being signed with their login.
        if services.needs_byline_name(request.user):
            kwargs["form"] = BylineNameForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not services.needs_byline_name(request.user):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "byline_name"]}), *rest]

    @admin.display(description="Byline")
    def byline(self, obj):
        return ", ".join(author.display_name for author in obj.ordered_authors())

    @admin.display(description="Categories")
    def category_list(self, obj):
        return ", ".join(str(category) for category in obj.categories.all())

    def get_urls(self):
        """The editor's own endpoints and pages, each behind the admin's login and CSRF."""
        routes = [
            ("preview-markdown/", self.preview_markdown, "preview_markdown"),
            *self.editor_routes(),
            *self.revision_routes(),
        ]
        wrap, name = self.admin_site.admin_view, "publishing_post"
        extra = [path(route, wrap(view), name=f"{name}_{suffix}") for route, view, suffix in routes]
        return [*extra, *super().get_urls()]

    @method_decorator(require_POST)
    def preview_markdown(self, request):
        """The body as readers would get it, for the live preview under the textarea."""
        return HttpResponse(markup.render_article(request.POST.get("source", "")))

    @admin.action(description="Publish selected posts", permissions=["publish"])
    def publish_selected(self, request, queryset):
        for post in queryset:
            services.publish(post)
        self._report(request, queryset, "published (future dates stay scheduled)")

    @admin.action(description="Unpublish selected posts to draft", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._save_each(request, queryset, "moved to draft", status=Status.DRAFT)

    @admin.action(description="Close comments on selected posts", permissions=["change"])
    def close_comments(self, request, queryset):
        self._save_each(request, queryset, "comments closed", comment_status=CommentStatus.CLOSED)

    @admin.action(description="Open comments on selected posts", permissions=["change"])
    def open_comments(self, request, queryset):
        self._save_each(request, queryset, "comments opened", comment_status=CommentStatus.OPEN)

    def _save_each(self, request, queryset, done, **fields):
        # One save per post, so whatever listens for saved posts hears each one.
        for post in queryset:
            services.save_post(post, by=request.user, **fields)
        self._report(request, queryset, done)

    def _report(self, request, queryset, done):
        count = len(queryset)
        self.message_user(request, f"{count} {model_ngettext(self.opts, count)}: {done}.")


@admin.register(Page)
class PageAdmin(PreviewLinkMixin, admin.ModelAdmin):
    form = PageAdminForm
    preview_url_name = "publishing:preview-page"
    list_display = ["title", "path", "status", "published_at", "menu_order", "comment_status"]
    list_filter = ["status", "comment_status"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}

    def save_model(self, request, obj, form, change):
        services.save_page(obj)


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    form = FigureAdminForm
    list_display = ["thumbnail", "alt_text", "snippet", "created_at"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "caption", "credit"]
    date_hierarchy = "created_at"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["image", "alt_text", "caption", "credit"]
        return ["thumbnail", "snippet", "alt_text", "caption", "credit"]

    def get_readonly_fields(self, request, obj=None):
        # Renditions are made once, on upload: a new image is a new figure.
        return ["thumbnail", "snippet"] if obj else []

    # Every figure stays listed and viewable, so authors can place any of them;
    # only its uploader and editors change or delete one.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_figure(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_figure(request.user, obj))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            services.render_showing(obj.pk)
            return
        data = form.cleaned_data
        figure = services.create_figure(
            image=data["image"],
            alt_text=data["alt_text"],
            caption=data["caption"],
            credit=data["credit"],
            uploaded_by=request.user,
        )
        obj.pk = figure.pk
        obj.refresh_from_db()

    # A body placing a deleted figure is rendered again without it, not with a
    # broken image.
    def delete_model(self, request, obj):
        figure_id = obj.pk
        super().delete_model(request, obj)
        services.render_showing(figure_id)

    def delete_queryset(self, request, queryset):
        figure_ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        for figure_id in figure_ids:
            services.render_showing(figure_id)

    @admin.display(description="Image")
    def thumbnail(self, obj):
        name = obj.renditions[0]["name"] if obj.renditions else obj.image.name
        if not name:
            return ""
        return format_html(
            '<img src="{}" alt="" width="96" loading="lazy">', obj.image.storage.url(name)
        )

    @admin.display(description="Markdown")
    def snippet(self, obj):
        return format_html("<code>{}</code>", obj.markdown)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["path", "name", "slug"]
    search_fields = ["name", "path"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["display_name", "slug"]
    prepopulated_fields = {"slug": ["display_name"]}
    fields = ["display_name", "slug", "user", "bio", "avatar"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Only people who can sign in to the admin write under a byline.
            kwargs["queryset"] = db_field.related_model.objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
