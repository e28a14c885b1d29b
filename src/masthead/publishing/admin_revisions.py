"""A post's revisions in the admin: the list, a comparison of any two, and restoring one."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from masthead.publishing import revisions, services


class RevisionsAdminMixin:
    """For a ModelAdmin of posts; who may see or restore is the admin's own post permission."""

    def revision_routes(self):
        """(route, view, name suffix) of the revision pages, for the admin's get_urls."""
        return [
            ("<path:object_id>/revisions/", self.revisions_view, "revisions"),
            (
                "<path:object_id>/revisions/compare/",
                self.compare_revisions_view,
                "compare_revisions",
            ),
            (
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                self.restore_revision_view,
                "restore_revision",
            ),
        ]

    def _revisions_url(self, post, view="revisions"):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=[post.pk]
        )

    def _post_for(self, request, object_id):
        post = self.get_object(request, unquote(object_id))
        if post is None:
            raise Http404("No such post.")
        if not self.has_view_or_change_permission(request, post):
            raise PermissionDenied
        return post

    def _context(self, request, post, title, **extra):
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": post,
            "title": title,
            "revisions_url": self._revisions_url(post),
            **extra,
        }

    def revisions_view(self, request, object_id):
        post = self._post_for(request, object_id)
        found = list(post.revisions.select_related("by"))
        rows = [{"revision": r, "current": r.same_text(post)} for r in found]
        context = self._context(
            request,
            post,
            f"Revisions of “{post}”",
            rows=rows,
            can_restore=self.has_change_permission(request, post),
            compare_url=self._revisions_url(post, "compare_revisions"),
        )
        return TemplateResponse(request, "admin/publishing/post/revisions.html", context)

    def compare_revisions_view(self, request, object_id):
        post = self._post_for(request, object_id)
        try:
            ids = {int(request.GET["from"]), int(request.GET["to"])}
        except (KeyError, ValueError):
            ids = set()
        chosen = sorted(post.revisions.filter(pk__in=ids), key=lambda r: (r.created_at, r.pk))
        if not ids or len(chosen) != len(ids):
            messages.error(request, "Choose two revisions of this post to compare.")
            return HttpResponseRedirect(self._revisions_url(post))
        older, newer = chosen[0], chosen[-1]
        context = self._context(
            request,
            post,
            f"Changes to “{post}”",
            older=older,
            newer=newer,
            fields=revisions.compare(older, newer),
        )
        return TemplateResponse(request, "admin/publishing/post/revision_compare.html", context)

    @method_decorator(require_http_methods(["GET", "POST"]))
    def restore_revision_view(self, request, object_id, revision_id):
        """GET asks first, showing what would change; only the POST that follows restores."""
        post = self._post_for(request, object_id)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        revision = get_object_or_404(post.revisions.select_related("by"), pk=revision_id)
        if request.method == "GET":
            context = self._context(
                request,
                post,
                f"Restore this revision of “{post}”?",
                revision=revision,
                # The post as it stands against the revision: what restoring would do.
                fields=revisions.compare(post, revision),
            )
            template = "admin/publishing/post/revision_restore.html"
            return TemplateResponse(request, template, context)
        when = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
        try:
            services.restore_revision(revision, by=request.user)
        except ValidationError as error:
            messages.error(request, f"The revision of {when} was not restored: {error}")
        else:
            self.log_change(request, post, f"Restored the revision of {when}.")
            messages.success(request, f"The revision of {when} is the post's text again.")
        return HttpResponseRedirect(self._revisions_url(post))
