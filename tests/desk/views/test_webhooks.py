"""Webhooks on the desk: Editors and superusers manage them; nobody else gets in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.api.webhooks import services
from masthead.api.webhooks.models import Delivery, DeliveryStatus, Event, Webhook

HOOKS = "/desk/webhooks/"
ADD = "/desk/webhooks/new/"
RECEIVER = "http://127.0.0.1:8123/hooks/masthead"


@pytest.fixture
def loopback_allowed(settings):
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def hook(db, editor, loopback_allowed):
    return services.create_hook(url=RECEIVER, events=[Event.POST_PUBLISHED], by=editor)


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def every_address(hook):
    return [
        ("get", HOOKS, {}),
        ("get", ADD, {}),
        ("post", ADD, {"url": RECEIVER, "events": ["post.published"]}),
        ("get", f"{HOOKS}{hook.pk}/", {}),
        ("post", f"{HOOKS}{hook.pk}/", {"url": RECEIVER, "events": ["comment.spam"]}),
        ("post", f"{HOOKS}{hook.pk}/ping/", {}),
        ("post", f"{HOOKS}{hook.pk}/enable/", {}),
        ("post", f"{HOOKS}{hook.pk}/secret/", {}),
        ("get", f"{HOOKS}{hook.pk}/delete/", {}),
        ("post", f"{HOOKS}{hook.pk}/delete/", {}),
    ]


def test_it_sends_anonymous_visitors_to_log_in(client, hook):
    for method, path, data in every_address(hook):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("persona", ["reader", "moderator", "author_user"])
def test_it_refuses_everyone_but_editors_and_superusers(client, request, persona, hook):
    client.force_login(request.getfixturevalue(persona))
    for method, path, data in every_address(hook):
        assert getattr(client, method)(path, data).status_code == 403, path
    assert Webhook.objects.get().events == ["post.published"]
    assert not Delivery.objects.exists()
    assert "Webhooks" not in client.get("/desk/").content.decode()


@pytest.mark.parametrize("persona", ["editor", "admin_user"])
def test_editors_and_superusers_see_the_list_from_the_desk_menu(client, request, persona, hook):
    client.force_login(request.getfixturevalue(persona))
    assert f'href="{HOOKS}"' in client.get("/desk/").content.decode()
    page = client.get(HOOKS).content.decode()
    assert RECEIVER in page
    assert "Post published" in page
    assert hook.secret not in page


def test_the_list_costs_the_same_queries_for_one_hook_or_ten(as_editor, hook, editor):
    as_editor.get(HOOKS)
    with CaptureQueriesContext(connection) as one:
        as_editor.get(HOOKS)
    for n in range(9):
        services.create_hook(url=f"{RECEIVER}/{n}", events=Event.values, by=editor)
    with CaptureQueriesContext(connection) as ten:
        assert as_editor.get(HOOKS).content.decode().count(RECEIVER) == 10
    assert len(ten) == len(one)


def test_adding_a_hook_shows_its_secret_once(as_editor, editor, loopback_allowed):
    response = as_editor.post(
        ADD,
        {"url": RECEIVER, "description": "Newsroom bot", "events": ["comment.approved"]},
    )
    hook = Webhook.objects.get()
    assert response["Location"] == f"{HOOKS}{hook.pk}/"
    assert hook.created_by == editor
    assert hook.events == ["comment.approved"]
    assert hook.secret.startswith("whsec_")
    page = as_editor.get(response["Location"]).content.decode()
    assert f'value="{hook.secret}"' in page
    assert "it is shown only once" in page
    assert hook.secret not in as_editor.get(response["Location"]).content.decode()


def test_a_new_secret_replaces_the_old_and_is_shown_once(as_editor, hook):
    old = hook.secret
    response = as_editor.post(f"{HOOKS}{hook.pk}/secret/")
    hook.refresh_from_db()
    assert hook.secret != old
    page = as_editor.get(response["Location"]).content.decode()
    assert f'value="{hook.secret}"' in page
    assert old not in page
    assert hook.secret not in as_editor.get(response["Location"]).content.decode()


def test_each_hook_has_its_own_secret(hook, editor):
    other = services.create_hook(url=RECEIVER, events=[Event.POST_UPDATED], by=editor)
    assert other.secret != hook.secret
    assert len(hook.secret) > 40


def test_a_loopback_address_is_refused_with_a_reason_and_the_form_kept(as_editor, db):
    response = as_editor.post(
        ADD,
        {"url": RECEIVER, "description": "Local bot", "events": ["post.published", "comment.spam"]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deliveries cannot go to this address" in page
    assert "127.0.0.1, a loopback or private address" in page
    assert 'aria-invalid="true"' in page
    assert f'value="{RECEIVER}"' in page
    assert 'value="Local bot"' in page
    assert 'value="post.published" checked' in page.replace('id="id_events_0" ', "")
    assert not Webhook.objects.exists()


def test_a_name_that_resolves_to_loopback_is_refused_too(as_editor, db):
    response = as_editor.post(
        ADD, {"url": "http://localhost:8000/hook", "events": ["post.published"]}
    )
    assert "localhost resolves to" in response.content.decode()
    assert not Webhook.objects.exists()


def test_no_event_chosen_is_refused(as_editor, loopback_allowed):
    response = as_editor.post(ADD, {"url": RECEIVER})
    assert "Choose at least one event." in response.content.decode()
    assert not Webhook.objects.exists()


def test_editing_changes_the_address_and_events_and_keeps_the_secret(as_editor, hook):
    secret = hook.secret
    response = as_editor.post(
        f"{HOOKS}{hook.pk}/",
        {"url": f"{RECEIVER}/v2", "events": ["comment.created", "comment.spam"]},
    )
    assert response.status_code == 302
    hook.refresh_from_db()
    assert hook.url == f"{RECEIVER}/v2"
    assert hook.events == ["comment.created", "comment.spam"]
    assert hook.secret == secret


def test_a_refused_edit_keeps_what_was_stored(as_editor, hook, settings):
    settings.MASTHEAD_OUTBOUND_ALLOW_PRIVATE = False
    response = as_editor.post(
        f"{HOOKS}{hook.pk}/", {"url": "http://10.0.0.8/hook", "events": ["comment.spam"]}
    )
    assert "10.0.0.8, a loopback or private address" in response.content.decode()
    assert 'value="http://10.0.0.8/hook"' in response.content.decode()
    hook.refresh_from_db()
    assert (hook.url, hook.events) == (RECEIVER, ["post.published"])


def test_the_page_shows_each_attempt_with_its_answer(as_editor, hook):
    payload = {"id": "x", "event": "post.published"}
    Delivery.objects.create(
        hook=hook, event="post.published", event_id="6f1c8a38-3c4e-4d5e-9a57-8d2f6c3b1a90",
        payload=payload, status=DeliveryStatus.FAILED, response_status=502,
        response_body="Bad <gateway>", error="The receiver answered 502.", duration_ms=41,
    )  # fmt: skip
    page = as_editor.get(f"{HOOKS}{hook.pk}/").content.decode()
    assert "HTTP 502" in page
    assert "Bad &lt;gateway&gt;" in page
    assert "The receiver answered 502." in page
    assert "41 ms" in page


def test_a_test_ping_is_queued_for_the_worker(as_editor, hook):
    response = as_editor.post(f"{HOOKS}{hook.pk}/ping/")
    assert response.status_code == 302
    [ping] = Delivery.objects.all()
    assert ping.event == "ping"
    assert ping.status == DeliveryStatus.PENDING
    assert "Test ping queued" in as_editor.get(response["Location"]).content.decode()


def test_a_disabled_hook_says_why_and_can_be_enabled_again(as_editor, hook):
    Webhook.objects.filter(pk=hook.pk).update(
        active=False, disabled_reason="Every delivery failed for 3 days."
    )
    page = as_editor.get(f"{HOOKS}{hook.pk}/").content.decode()
    assert "Every delivery failed for 3 days." in page
    assert "Enable again" in page
    as_editor.post(f"{HOOKS}{hook.pk}/enable/")
    hook.refresh_from_db()
    assert hook.active
    assert hook.disabled_reason == ""


def test_deleting_asks_first_then_removes_the_hook_and_its_log(as_editor, hook):
    services.send_ping(hook)
    assert "Delete this webhook?" in as_editor.get(f"{HOOKS}{hook.pk}/delete/").content.decode()
    assert Webhook.objects.exists()
    response = as_editor.post(f"{HOOKS}{hook.pk}/delete/")
    assert response["Location"] == HOOKS
    assert not Webhook.objects.exists()
    assert not Delivery.objects.exists()
