"""Who is commenting: the logged-in reader, and the provider they came through.

A user may have several social accounts; the one that counts is the one used
for this login, which the session records when allauth logs them in.
"""

import functools
import hashlib
import time
from dataclasses import dataclass

from allauth.account.signals import user_logged_in
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.http import urlencode

from masthead.identity.look_alikes import name_key
from masthead.identity.models import Profile
from masthead.identity.services import avatar_url_for, display_name_for, is_nameless_name
from masthead.publishing.models import Author

SESSION_KEY = "masthead_login_provider"
LOCAL = "local"
PROVIDERS_CACHE_KEY = "masthead.identity.providers"
PROVIDERS_CACHE_SECONDS = 300
STAFF_NAMES_CACHE_KEY = "masthead.identity.staff-names"
STAFF_NAMES_CACHE_SECONDS = 300


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
    # Every guest comment asks this. Built through the ORM (a join, an annotation
    # and two queries) it cost over a millisecond of Python; the database answers
    # the same question, asked in one statement, in a few microseconds.
    sql = _registered_name_sql(except_user is not None)
    params = [wanted, wanted, wanted, wanted]
    if except_user is not None:
        params = [wanted, wanted, wanted, except_user, wanted, except_user]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.fetchone() is not None:
            return True
    key = name_key(name)
    return any(k == key and (uid is None or uid != except_user) for uid, k in _staff_name_keys())


def _staff_name_keys() -> list[tuple[int | None, str]]:
    """(account id, look-alike key) of every name staff and bylines go by.

    A reader's name may only match another reader's exactly; a name that merely
    looks like a staff member's (other letters, case, spacing) is refused too.
    Few and rarely changed, so cached until a user, profile or byline is saved.
    """
    key = f"{STAFF_NAMES_CACHE_KEY}:{cache.get(STAFF_NAMES_CACHE_KEY, 0)}"
    found = cache.get(key)
    if found is None:
        staff = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True))
        names = [
            (u.pk, n)
            for u in staff.select_related("profile")
            for n in (u.get_username(), f"{u.first_name} {u.last_name}", _shown_name(u))
        ]
        names += Author.objects.values_list("user_id", "display_name")
        found = [(uid, name_key(n)) for uid, n in names if n.strip()]
        cache.set(key, found, STAFF_NAMES_CACHE_SECONDS)
    return found


def _shown_name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else ""


# Connected to the models that hold names only, so no other save (a comment, a
# queued task) calls it.
@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="masthead.names.user_saved")
@receiver(post_save, sender=Profile, dispatch_uid="masthead.names.profile_saved")
@receiver(post_save, sender=Author, dispatch_uid="masthead.names.author_saved")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="masthead.names.user_gone")
@receiver(post_delete, sender=Profile, dispatch_uid="masthead.names.profile_gone")
@receiver(post_delete, sender=Author, dispatch_uid="masthead.names.author_gone")
def forget_staff_names(sender, update_fields=None, **kwargs):
    # Every login saves last_login, which changes no name.
    if update_fields != {"last_login"}:
        cache.set(STAFF_NAMES_CACHE_KEY, time.time_ns(), None)


@functools.cache
def _registered_name_sql(excepting: bool) -> str:
    """Usernames and full names of accounts, their profiles' display names and
    bylines, lowered and compared with the lowered name; the full name is first
    and last name, each trimmed, joined by a space."""
    q = connection.ops.quote_name
    user, profile, author = get_user_model()._meta, Profile._meta, Author._meta

    def col(meta, field: str) -> str:
        return f"{q(meta.db_table)}.{q(meta.get_field(field).column)}"

    username, uid = col(user, get_user_model().USERNAME_FIELD), col(user, "id")
    first, last = col(user, "first_name"), col(user, "last_name")
    full = f"LOWER(TRIM(TRIM(COALESCE({first}, '')) || ' ' || TRIM(COALESCE({last}, ''))))"
    shown, byline = col(profile, "display_name"), col(author, "display_name")
    sql = (
        f"SELECT 1 FROM {q(user.db_table)} LEFT OUTER JOIN {q(profile.db_table)}"
        f" ON {col(profile, 'user')} = {uid}"
        f" WHERE (LOWER({username}) = %s OR {full} = %s OR LOWER({shown}) = %s)"
        + (f" AND {uid} <> %s" if excepting else "")
        + f" UNION ALL SELECT 1 FROM {q(author.db_table)} WHERE LOWER({byline}) = %s"
        + (
            f" AND ({col(author, 'user')} IS NULL OR {col(author, 'user')} <> %s)"
            if excepting
            else ""
        )
    )
    return sql + " LIMIT 1"
