"""The email telling people a hook was disabled: its creator and the site's
administrators, built at send time from the ``webhooks/email/disabled-*`` trio."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from masthead.api.webhooks.models import Webhook
from masthead.lib.emails import normalize_email
from masthead.lib.urls import absolute


def recipients(hook: Webhook) -> list[str]:
    admins = get_user_model().objects.filter(is_active=True, is_superuser=True)
    emails = [u.email for u in admins.exclude(email="").order_by("pk")]
    if hook.created_by and hook.created_by.is_active and hook.created_by.email:
        emails.insert(0, hook.created_by.email)
    return list(dict.fromkeys(normalize_email(e) for e in emails))


def disabled_notice(hook: Webhook) -> EmailMultiAlternatives | None:
    to = recipients(hook)
    if hook.active or not to:
        return None
    context = {
        "hook": hook,
        "site_name": settings.SITE_NAME,
        "hook_url": absolute(reverse("desk:webhook", args=[hook.pk])),
    }
    prefix = "webhooks/email/disabled"
    subject = " ".join(render_to_string(f"{prefix}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"{prefix}-body.txt", context),
        to=to,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"{prefix}-body.html", context), "text/html")
    return message


@task()
def send_disabled_notice(hook_id: int) -> str:
    """Sent unless the hook is back on by now; a failure to send fails the task (logged)."""
    hook = Webhook.objects.select_related("created_by").filter(pk=hook_id).first()
    message = disabled_notice(hook) if hook else None
    if message is None:
        return "skipped"
    message.send()
    return "sent"
