"""Accounts: how a person is named and pictured, their role, and leaving the site."""

import re

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import models, transaction

from masthead.identity.models import Profile
from masthead.identity.signals import account_deleting, avatar_changed

FORMER_READER = "Former reader"
# What an account that gave no name is called: its number, never its email.
NAMELESS = "Reader {}"
NAMELESS_PATTERN = re.compile(r"reader #?\d+")
# Most powerful first: a person's role is the first that applies.
ROLE_GROUPS = (("editor", "Editor"), ("author", "Author"), ("moderator", "Moderator"))
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class DeletionMode(models.TextChoices):
    ANONYMISE = "anonymise", f"Keep my comments, signed “{FORMER_READER}”"
    DELETE = "delete", "Delete my comments"


def profile_for(user: AbstractBaseUser) -> Profile:
    """The person's profile, made on first use so no account ever lacks one."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _existing_profile(user: AbstractBaseUser) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def display_name_for(user: AbstractBaseUser) -> str:
    """The name to show: the chosen one, the real one, the byline, else "Reader <id>".

    Never one made from the email address: readers are promised it is never
    published, and its first part is often a full name or a handle. Nor the
    username: a login handle, which allauth used to make from that address.
    """
    profile = _existing_profile(user)
    if profile and profile.display_name.strip():
        return profile.display_name.strip()
    full_name = user.get_full_name().strip()
    if full_name:
        return full_name
    byline = getattr(user, "author_profile", None)
    if byline and byline.display_name.strip():
        return byline.display_name.strip()
    return NAMELESS.format(user.pk)


def is_nameless_name(name: str) -> bool:
    """Whether ``name`` is what an account without a name goes by ("Reader 12")."""
    return NAMELESS_PATTERN.fullmatch(" ".join(name.split()).casefold()) is not None


def avatar_url_for(user: AbstractBaseUser) -> str:
    """The uploaded avatar served from this site, or "" (no third-party lookups)."""
    profile = _existing_profile(user)
    return profile.avatar.url if profile and profile.avatar else ""


def _delete_file_later(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def update_profile(
    user: AbstractBaseUser, *, display_name: str, website: str, avatar=None
) -> Profile:
    """Save the profile. ``avatar``: a checked upload, False to remove it, None to keep it."""
    profile = profile_for(user)
    profile.display_name = display_name
    profile.website = website
    if avatar is not None:
        replaced = profile.avatar.name
        profile.avatar = avatar or ""
        if replaced != profile.avatar.name:
            _delete_file_later(replaced)
            transaction.on_commit(lambda: avatar_changed.send(sender=type(user), user=user))
    profile.save()
    return profile


def role_of(user: AbstractBaseUser) -> str:
    """administrator, editor, author, moderator or reader."""
    if user.is_superuser:
        return "administrator"
    # all(), not a values query, so a list that prefetched the groups asks nothing.
    groups = {group.name for group in user.groups.all()}
    return next((role for role, group in ROLE_GROUPS if group in groups), "reader")


def has_second_factor(user: AbstractBaseUser) -> bool:
    """Recovery codes alone do not count: they back up a factor, they are not one."""
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def must_enrol_second_factor(user: AbstractBaseUser) -> bool:
    """Staff, administrators included, need a second factor when the site says so."""
    if not settings.MASTHEAD_STAFF_REQUIRE_2FA or not user.is_authenticated:
        return False
    return (user.is_staff or user.is_superuser) and not has_second_factor(user)


def delete_account(user: AbstractBaseUser, mode: str) -> None:
    """Remove the account, and its comments or their link to it, all or nothing."""
    mode = DeletionMode(mode)
    profile = _existing_profile(user)
    with transaction.atomic(durable=True):
        account_deleting.send(sender=type(user), user=user, mode=mode.value)
        if profile and profile.avatar:
            _delete_file_later(profile.avatar.name)
        user.delete()
