"""Who may use the desk: staff holding the moderation permission, one rule for every view."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache

# Superusers hold every permission; the Editor and Moderator groups are granted these.
MODERATE = "discussion.change_comment"
DELETE = "discussion.delete_comment"


def can_moderate(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(MODERATE)


def can_delete(user) -> bool:
    return can_moderate(user) and user.has_perm(DELETE)


def moderators_only(view):
    """Anonymous visitors go to the login page; everyone else without the right gets 403.
    Desk pages carry a session and personal data, so no cache ever keeps them."""

    @never_cache
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded
