"""The post editor's conveniences: figures dropped into the body and edited in place,
text autosaved while typing, and links after saving."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from masthead.publishing import permissions, services
from masthead.publishing.forms import FigureAdminForm, FigureFieldsForm
from masthead.publishing.models import Figure


def figure_json(figure, user) -> dict:
    """What the editor's figure panel shows and may change."""
    name = figure.renditions[0]["name"] if figure.renditions else figure.image.name
    return {
        "id": figure.pk,
        "snippet": figure.markdown,
        "alt_text": figure.alt_text,
        "caption": figure.caption,
        "credit": figure.credit,
        "thumbnail": figure.image.storage.url(name) if name else "",
        "editable": permissions.can_edit_figure(user, figure),
    }


def form_errors(form) -> str:
    return " ".join(message for field in form.errors.values() for message in field)


class PostEditorAdminMixin:
    """For the post ModelAdmin; the script is static/masthead/admin/post-editor.js."""

    class Media:
        js = ["masthead/admin/select2-names.js", "masthead/admin/post-editor.js"]
        css = {"all": ["masthead/admin/post-editor.css"]}

    def editor_routes(self):
        """(route, view, name suffix) of the editor's endpoints, for the admin's get_urls."""
        return [
            ("upload-figure/", self.upload_figure, "upload_figure"),
            ("figure/<int:figure_id>/", self.figure_fields, "figure_fields"),
            ("autosave/", self.autosave, "autosave"),
        ]

    @method_decorator(require_POST)
    def upload_figure(self, request):
        """An image dropped or pasted into the body becomes a figure, checked like the form's."""
        if not request.user.has_perm("publishing.add_figure"):
            return JsonResponse({"error": "You may not add figures."}, status=403)
        # The figure form, so the checks and their wording are the admin's own;
        # its alt text is required, so no figure is stored without one.
        form = FigureAdminForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"error": form_errors(form)}, status=400)
        data = form.cleaned_data
        figure = services.create_figure(
            image=data["image"],
            alt_text=data["alt_text"],
            caption=data["caption"],
            credit=data["credit"],
            uploaded_by=request.user,
        )
        return JsonResponse(figure_json(figure, request.user), status=201)

    @method_decorator(require_http_methods(["GET", "POST"]))
    def figure_fields(self, request, figure_id):
        """A figure's alt text, caption and credit, read and changed from the editor."""
        if not request.user.has_perm("publishing.view_figure"):
            return JsonResponse({"error": "You may not see figures."}, status=403)
        figure = get_object_or_404(Figure, pk=figure_id)
        if request.method == "POST":
            form = FigureFieldsForm(request.POST, instance=Figure(pk=figure.pk))
            if not form.is_valid():
                return JsonResponse({"error": form_errors(form)}, status=400)
            try:
                services.update_figure(figure, by=request.user, **form.cleaned_data)
            except PermissionDenied as denied:
                return JsonResponse({"error": str(denied)}, status=403)
        return JsonResponse(figure_json(figure, request.user))

    @method_decorator(require_POST)
    def autosave(self, request):
        """Keep the editor's unsaved title, excerpt and body; the post itself is untouched."""
        post = None
        if request.POST.get("post"):
            post = get_object_or_404(
                permissions.editable_posts(request.user), pk=request.POST["post"]
            )
        elif not self.has_add_permission(request):
            return JsonResponse({"error": "You may not write posts."}, status=403)
        fields = {name: request.POST.get(name, "") for name in ("title", "excerpt", "body")}
        copy = services.autosave_post(user=request.user, post=post, **fields)
        return JsonResponse({"saved_at": copy.saved_at.isoformat()})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        copy = services.pending_autosave(user=request.user, post=obj if change else None)
        if copy is not None:
            context["autosave"] = {
                "saved_at": copy.saved_at.isoformat(),
                **{name: getattr(copy, name) for name in copy.TEXT_FIELDS},
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Reached only once a save worked: the autosaved copy has done its job.
    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        services.discard_autosave(user=request.user, post=None)
        self._link_to_reading(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        services.discard_autosave(user=request.user, post=obj)
        self._link_to_reading(request, obj)
        return response

    def _link_to_reading(self, request, post):
        if post.is_public:
            link = format_html('<a href="{}">View post</a>', post.get_absolute_url())
        else:
            url = reverse("publishing:preview-post", args=[post.pk])
            link = format_html('<a href="{}">Preview</a> (not public yet)', url)
        self.message_user(request, link, messages.SUCCESS)
