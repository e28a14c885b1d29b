"""The import page: upload a WordPress export, then watch it run and read its report."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from masthead.lib.tasks import run_later
from masthead.portability import tasks
from masthead.portability.models import ImportedMedia, ImportRun, LegacyRedirect
from masthead.portability.wxr.report import Report


class UploadForm(forms.Form):
    file = forms.FileField(label="WordPress export (.xml)")
    dry_run = forms.BooleanField(required=False, label="Dry run: check everything and keep nothing")


def _store_upload(upload) -> Path:
    # In the data folder, not in media: an export holds commenters' emails and addresses.
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}.xml"
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


def _report_lines(run: ImportRun) -> list[str]:
    data = run.report or {}
    report = Report()
    report.created.update(data.get("created", {}))
    report.updated.update(data.get("updated", {}))
    report.skipped = [tuple(p) for p in data.get("skipped", [])]
    report.held_back = [tuple(p) for p in data.get("held_back", [])]
    report.notes = [tuple(p) for p in data.get("notes", [])]
    for kind, why, n in data.get("skipped_kinds", []):
        report.skipped_kinds[(kind, why)] = n
    return report.lines() if data else []


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("__str__", "state", "started_at", "finished_at")
    list_filter = ("state", "kind")
    change_list_template = "admin/portability/importrun/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="portability_importrun_upload"),
            path(
                "<int:pk>/progress/",
                wrap(self.progress_view),
                name="portability_importrun_progress",
            ),
            *super().get_urls(),
        ]

    def _allowed(self, request) -> None:
        if not request.user.has_perm("portability.add_importrun"):
            raise PermissionDenied

    def upload_view(self, request):
        self._allowed(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            stored = _store_upload(upload)
            run = ImportRun.objects.create(
                source=upload.name[:300], stored_file=str(stored), total_bytes=stored.stat().st_size
            )
            run_later(tasks.import_uploaded_wxr, run.pk, form.cleaned_data["dry_run"])
            return redirect(reverse("admin:portability_importrun_progress", args=[run.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import from WordPress",
            "form": form,
        }
        return TemplateResponse(request, "admin/portability/importrun/upload.html", context)

    def progress_view(self, request, pk):
        self._allowed(request)
        run = get_object_or_404(ImportRun, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(run),
            "run": run,
            "percent": tasks.progress_of(run),
            "running": run.state == ImportRun.State.RUNNING,
            "report": "\n".join(_report_lines(run)),
        }
        return TemplateResponse(request, "admin/portability/importrun/progress.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(reverse("admin:portability_importrun_progress", args=[object_id]))


@admin.register(ImportedMedia)
class ImportedMediaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "original_url", "figure")
    search_fields = ("title", "original_url", "caption")
    readonly_fields = ("legacy_id", "original_url", "figure", "file", "parent_legacy_id")


@admin.register(LegacyRedirect)
class LegacyRedirectAdmin(admin.ModelAdmin):
    list_display = ("source", "target_legacy_id", "target_url")
    search_fields = ("source", "target_legacy_id")
