"""Staff roles as groups, kept in step with their permissions after every migrate."""

from django.contrib.auth.models import Group, Permission

MODERATION = ["view_comment", "change_comment", "delete_comment", "view_commentrevision"]

ROLES = {
    # Editors run the publication: every post, page, figure and taxonomy.
    "Editor": {
        "publishing": [
            "add_post", "change_post", "delete_post", "view_post", "publish_post",
            "add_page", "change_page", "delete_page", "view_page",
            "add_figure", "change_figure", "delete_figure", "view_figure",
            "add_category", "change_category", "delete_category", "view_category",
            "add_tag", "change_tag", "delete_tag", "view_tag",
            "add_author", "change_author", "view_author",
            "add_byline", "change_byline", "delete_byline", "view_byline",
        ],
        "discussion": [
            *MODERATION,
            "view_discussionsettings", "change_discussionsettings",
            "view_subscription", "delete_subscription",
        ],
        # Webhooks send the publication's news out to other systems.
        "webhooks": ["add_webhook", "change_webhook", "delete_webhook", "view_webhook"],
        # Every staff member's API tokens: seen with when each was last used, revoked.
        "api": ["view_apitoken", "delete_apitoken"],
        # Following, liking and replying on the Fediverse speak as the publication; all
        # of it is on the desk, so the admin's read-only list stays the superusers'.
        "federation": ["add_following"],
    },
    # Moderators keep the discussion clean and touch nothing else.
    "Moderator": {"discussion": MODERATION},
    # Authors write and publish their own posts and may place any figure in them;
    # the admin narrows changing and deleting to the posts and figures that are theirs.
    "Author": {
        "publishing": [
            "add_post", "change_post", "delete_post", "view_post", "publish_post",
            "add_figure", "change_figure", "delete_figure", "view_figure",
            "view_category", "view_tag", "add_tag", "view_author",
            "add_byline", "change_byline", "delete_byline", "view_byline",
        ],
    },
}  # fmt: skip


def ensure_roles(**kwargs) -> None:
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = [
            p
            for app, codenames in grants.items()
            for p in Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
        ]
        group.permissions.set(perms)
