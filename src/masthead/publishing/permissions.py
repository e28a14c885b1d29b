"""Who may see and change which posts before they are public."""

from masthead.publishing.models import Post


def is_editor(user) -> bool:
    return user.is_superuser or user.groups.filter(name="Editor").exists()


def editable_posts(user, queryset=None):
    """Editors reach every post; authors only the ones carrying their byline."""
    queryset = Post.objects.all() if queryset is None else queryset
    if not (user.is_active and user.is_staff):
        return queryset.none()
    if is_editor(user):
        return queryset
    return queryset.filter(bylines__author__user=user).distinct()


def can_preview_post(user, post: Post) -> bool:
    return editable_posts(user).filter(pk=post.pk).exists()


def can_preview_page(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("publishing.view_page")
