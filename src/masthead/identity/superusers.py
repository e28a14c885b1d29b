"""A superuser's address counts as verified from the start.

Superusers are made by whoever already runs the site (`masthead
createsuperuser` on the server, or code there), with an address they typed
themselves. Asking them to prove it by mail only locks the first editor out,
since mail is printed to a terminal until the site is told otherwise. Readers
who sign up, and staff added in the admin, still verify theirs.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from masthead.lib.emails import normalize_email


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="masthead.identity.superuser")
def trust_superusers_address(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.is_superuser and instance.email:
        trust_address(instance, instance.email)


def trust_address(user, email: str) -> None:
    """Record ``email`` as the user's verified, primary address."""
    email = normalize_email(email)
    # An address another account has proved stays theirs: one verified owner each.
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
        return
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
