"""Webhooks on the desk, for Editors and superusers: register, edit, ping, re-enable,
delete, and read what each receiver answered. Thin over api.webhooks.services."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from masthead.api.webhooks import services
from masthead.api.webhooks.forms import WebhookForm
from masthead.api.webhooks.models import Webhook
from masthead.desk import access
from masthead.desk.menu import menu

# A new hook's secret waits here for the one page that shows it.
NEW_SECRET = "masthead.webhooks.new_secret"
RECENT_DELIVERIES = 25


def _render(request, template, **context):
    context = {**menu(request, "webhooks"), **context}
    return render(request, f"desk/webhooks/{template}", context)


@access.webhook_managers_only
def index(request):
    hooks = Webhook.objects.select_related("created_by")
    return _render(request, "list.html", hooks=hooks)


@access.webhook_managers_only
@require_http_methods(["GET", "POST"])
def add(request):
    form = WebhookForm(request.POST or None, initial={"events": []})
    if request.method == "POST" and form.is_valid():
        hook = services.create_hook(**form.cleaned_data, by=request.user)
        request.session[NEW_SECRET] = {"hook": hook.pk, "secret": hook.secret}
        messages.success(request, "Webhook added. Copy its secret now: it is shown only once.")
        return redirect("desk:webhook", hook.pk)
    return _render(request, "form.html", form=form)


@access.webhook_managers_only
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    hook = get_object_or_404(Webhook, pk=pk)
    initial = {"url": hook.url, "description": hook.description, "events": hook.events}
    form = WebhookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_hook(hook, **form.cleaned_data)
        messages.success(request, "Webhook saved.")
        return redirect("desk:webhook", hook.pk)
    shown = request.session.pop(NEW_SECRET, None)
    secret = shown["secret"] if shown and shown.get("hook") == hook.pk else None
    deliveries = hook.deliveries.all()[:RECENT_DELIVERIES]
    return _render(
        request, "detail.html", hook=hook, form=form, secret=secret, deliveries=deliveries
    )


@access.webhook_managers_only
@require_POST
def ping(request, pk):
    hook = get_object_or_404(Webhook, pk=pk)
    services.send_ping(hook)
    messages.success(request, "Test ping queued. Reload this page in a moment to see the answer.")
    return redirect("desk:webhook", hook.pk)


@access.webhook_managers_only
@require_POST
def rotate(request, pk):
    hook = services.new_hook_secret(get_object_or_404(Webhook, pk=pk))
    request.session[NEW_SECRET] = {"hook": hook.pk, "secret": hook.secret}
    messages.success(request, "New secret made. Copy it now: it is shown only once.")
    return redirect("desk:webhook", hook.pk)


@access.webhook_managers_only
@require_POST
def enable(request, pk):
    hook = get_object_or_404(Webhook, pk=pk)
    services.reenable_hook(hook)
    messages.success(request, "Webhook enabled again. New events will be delivered to it.")
    return redirect("desk:webhook", hook.pk)


@access.webhook_managers_only
@require_http_methods(["GET", "POST"])
def delete(request, pk):
    hook = get_object_or_404(Webhook, pk=pk)
    if request.method == "POST":
        services.delete_hook(hook)
        messages.success(request, f"Webhook to {hook.url} deleted.")
        return redirect("desk:webhooks")
    return _render(request, "delete.html", hook=hook)
