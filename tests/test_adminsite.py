"""The admin's index: the publication first, the plumbing last under "Settings"."""

from django.contrib import admin


def index_apps(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.context["app_list"]


def test_it_puts_the_publication_first_and_settings_last(client, admin_user):
    names = [app["name"] for app in index_apps(client, admin_user)]
    assert names == [
        "Publishing",
        "Discussion",
        "Identity",
        "Authentication and Authorization",
        "Settings",
    ]


def test_settings_gathers_the_rest_and_nothing_registered_goes_missing(client, admin_user):
    apps = index_apps(client, admin_user)
    listed = {model["model"] for app in apps for model in app["models"]}
    assert listed == set(admin.site._registry)
    settings = {model["model"]._meta.app_label for model in apps[-1]["models"]}
    assert {"account", "socialaccount", "mfa"} <= settings
    assert not settings & {"publishing", "discussion", "identity", "auth"}


def test_the_settings_heading_is_on_the_page_and_marks_no_other_page_current(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/admin/publishing/post/").content.decode()
    assert 'href="/admin/#settings"' in html
    assert "app-settings module current-app" not in html


def test_an_app_page_keeps_its_own_list(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/account/")
    assert [app["app_label"] for app in response.context["app_list"]] == ["account"]


def test_an_editor_sees_only_what_the_role_allows_in_the_same_order(client, editor):
    names = [app["name"] for app in index_apps(client, editor)]
    assert names == ["Publishing", "Discussion"]
