"""Who may use the desk: staff who moderate comments or write posts, one rule per view."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache

# Superusers hold every permission; the Editor and Moderator groups are granted these.
MODERATE = "discussion.change_comment"
DELETE = "discussion.delete_comment"
# Editors and Authors write; Moderators don't touch posts.
WRITE = "publishing.add_post"
# Editors (and superusers): a hook sends the site's news and comments to another system.
WEBHOOKS = "webhooks.change_webhook"
# Editors (and superusers) run the site: they see everyone's API tokens and revoke any.
ALL_TOKENS = "api.delete_apitoken"
# Editors (and superusers): following, liking and replying speak as the publication.
FOLLOW = "federation.add_following"


def can_moderate(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(MODERATE)


def can_delete(user) -> bool:
    return can_moderate(user) and user.has_perm(DELETE)


def can_write(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(WRITE)


def can_manage_webhooks(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(WEBHOOKS)


def can_manage_all_tokens(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(ALL_TOKENS)


def can_follow(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(FOLLOW)


def can_use_desk(user) -> bool:
    return can_moderate(user) or can_write(user)


def _only(allowed):
    """Anonymous visitors go to the login page; everyone else without the right gets 403.
    Desk pages carry a session and personal data, so no cache ever keeps them."""

    def decorator(view):
        @never_cache
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorator


moderators_only = _only(can_moderate)
# The dashboard: moderators, and those who write, each see their own panels.
desk_staff_only = _only(can_use_desk)
webhook_managers_only = _only(can_manage_webhooks)
followers_only = _only(can_follow)
