"""Who is commenting: the logged-in reader, and the provider they came through.

A user may have several social accounts; the one that counts is the one used
for this login, which the session records when allauth logs them in.
"""

import hashlib
import time
from dataclasses import dataclass

from allauth.account.signals import user_logged_in
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import CharField, Q, Value
from django.db.models.functions import Concat, Lower, Trim
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.http import urlencode

from masthead.identity.services import avatar_url_for, display_name_for, is_nameless_name
from masthead.publishing.models import Author

SESSION_KEY = "masthead_login_provider"
LOCAL = "local"
PROVIDERS_CACHE_KEY = "masthead.identity.providers"
PROVIDERS_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Commenter:
    name: str
    avatar_url: str
    provider_id: str
    provider_name: str


@dataclass(frozen=True)
class ProviderChoice:
    id: str
    name: str
    login_url: str


@receiver(user_logged_in, dispatch_uid="masthead.identity.commenter.remember_provider")
def remember_provider(sender, request, user, sociallogin=None, **kwargs):
    """Note which provider this login came through; a password login is local."""
    provider = sociallogin.account.provider if sociallogin is not None else LOCAL
    request.session[SESSION_KEY] = provider


def _providers(request) -> dict[str, tuple[str, str]]:
    """Provider id → (name, login URL) for each configured provider.

    Every article page asks; the registry reads SocialApp rows each time, so the
    answer is cached until an app changes.
    """
    key = _providers_key()
    found = cache.get(key)
    if found is None:
        found = {
            p.app.provider_id or p.id: (p.name, p.get_login_url(request))
            for p in get_adapter().list_providers(request)
            if p.app
        }
        cache.set(key, found, PROVIDERS_CACHE_SECONDS)
    return found


def _providers_key() -> str:
    # Apps from settings are part of the key, so a changed environment shows at once.
    configured = repr(getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}))
    digest = hashlib.sha256(configured.encode()).hexdigest()[:16]
    return f"{PROVIDERS_CACHE_KEY}:{cache.get(PROVIDERS_CACHE_KEY, 0)}:{digest}"


@receiver(post_save, sender=SocialApp, dispatch_uid="masthead.identity.commenter.app_saved")
@receiver(post_delete, sender=SocialApp, dispatch_uid="masthead.identity.commenter.app_deleted")
def forget_providers(**kwargs):
    cache.set(PROVIDERS_CACHE_KEY, time.time_ns(), None)


def provider_names(request) -> dict[str, str]:
    """Provider id → the name readers know it by, for the configured providers."""
    return {pid: name for pid, (name, _) in _providers(request).items()}


def commenter_for(request) -> Commenter | None:
    user = request.user
    if not user.is_authenticated:
        return None
    provider_id = request.session.get(SESSION_KEY) or LOCAL
    # The account may have been disconnected since this login.
    if provider_id != LOCAL and not _has_account(user, provider_id):
        provider_id = LOCAL
    if provider_id == LOCAL:
        provider_name = ""
    else:
        provider_name = provider_names(request).get(provider_id) or provider_id.title()
    return Commenter(display_name_for(user), avatar_url_for(user), provider_id, provider_name)


def configured_providers(request, next_url: str = "") -> list[ProviderChoice]:
    """The providers offered on the reply form: only those with an app configured."""
    query = urlencode({"process": "login", **({"next": next_url} if next_url else {})})
    choices = [
        ProviderChoice(pid, name, f"{url}{'&' if '?' in url else '?'}{query}")
        for pid, (name, url) in _providers(request).items()
    ]
    return sorted(choices, key=lambda c: c.name.casefold())


def _has_account(user, provider_id: str) -> bool:
    return SocialAccount.objects.filter(user=user, provider=provider_id).exists()


def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def is_registered_name(name: str, *, except_user: int | None = None) -> bool:
    """Whether a name is taken, so neither a guest nor another account may use it: a
    registered reader's username, full or display name, a byline's name (its staff
    comment under it), or what a nameless account goes by. ``except_user``: the id
    of an account whose own names do not count."""
    wanted = normalise_name(name)
    if not wanted:
        return False
    if is_nameless_name(wanted):
        return True
    users = get_user_model().objects.annotate(
        _full=Lower(
            Trim(
                Concat(Trim("first_name"), Value(" "), Trim("last_name"), output_field=CharField())
            )
        )
    )
    match = (
        Q(**{f"{get_user_model().USERNAME_FIELD}__iexact": wanted})
        | Q(_full=wanted)
        | Q(profile__display_name__iexact=wanted)
    )
    bylines = Author.objects.filter(display_name__iexact=wanted)
    if except_user is not None:
        users = users.exclude(pk=except_user)
        bylines = bylines.exclude(user_id=except_user)
    return users.filter(match).exists() or bylines.exists()
