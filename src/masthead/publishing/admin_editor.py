"""The post editor's conveniences: figures dropped into the body, and links after saving."""

from django.contrib import messages
from django.http import JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from masthead.publishing import services
from masthead.publishing.forms import FigureAdminForm


class PostEditorAdminMixin:
    """For the post ModelAdmin; the script is static/masthead/admin/post-editor.js."""

    class Media:
        js = ["masthead/admin/select2-names.js", "masthead/admin/post-editor.js"]
        css = {"all": ["masthead/admin/post-editor.css"]}

    def editor_routes(self):
        """(route, view, name suffix) of the editor's endpoints, for the admin's get_urls."""
        return [("upload-figure/", self.upload_figure, "upload_figure")]

    @method_decorator(require_POST)
    def upload_figure(self, request):
        """An image dropped or pasted into the body becomes a figure, checked like the form's."""
        if not request.user.has_perm("publishing.add_figure"):
            return JsonResponse({"error": "You may not add figures."}, status=403)
        # The figure form, so the checks and their wording are the admin's own;
        # its alt text is required, so no figure is stored without one.
        form = FigureAdminForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [message for field in form.errors.values() for message in field]
            return JsonResponse({"error": " ".join(errors)}, status=400)
        data = form.cleaned_data
        figure = services.create_figure(
            image=data["image"],
            alt_text=data["alt_text"],
            caption=data["caption"],
            credit=data["credit"],
            uploaded_by=request.user,
        )
        return JsonResponse({"id": figure.pk, "snippet": figure.markdown}, status=201)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self._link_to_reading(request, obj)
        return response

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        self._link_to_reading(request, obj)
        return response

    def _link_to_reading(self, request, post):
        if post.is_public:
            link = format_html('<a href="{}">View post</a>', post.get_absolute_url())
        else:
            url = reverse("publishing:preview-post", args=[post.pk])
            link = format_html('<a href="{}">Preview</a> (not public yet)', url)
        self.message_user(request, link, messages.SUCCESS)
