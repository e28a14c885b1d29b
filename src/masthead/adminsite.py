"""The admin's index in the order the people running the site use it: the publication
and its discussion first, then who is who, and the plumbing last under "Settings"."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import reverse

FIRST = ["publishing", "discussion", "identity", "auth"]


class MastheadAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label:
            return apps
        first = sorted(
            (app for app in apps if app["app_label"] in FIRST),
            key=lambda app: FIRST.index(app["app_label"]),
        )
        rest = [app for app in apps if app["app_label"] not in FIRST]
        if not rest:
            return first
        settings = {
            "name": "Settings",
            "app_label": "settings",
            # Not a page of its own; a fragment so no admin path "contains" it (the
            # sidebar marks the app whose URL the current path contains).
            "app_url": reverse("admin:index", current_app=self.name) + "#settings",
            "has_module_perms": True,
            "models": [model for app in rest for model in app["models"]],
        }
        return [*first, settings]


class MastheadAdminConfig(AdminConfig):
    default_site = "masthead.adminsite.MastheadAdminSite"
