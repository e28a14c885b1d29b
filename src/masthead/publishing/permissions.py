"""Who may see and change which posts and figures."""

from masthead.publishing.models import Figure, Post


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


def can_edit_figure(user, figure: Figure) -> bool:
    """Anyone who writes may place any figure; only its uploader and editors change it."""
    if not (user.is_active and user.is_staff):
        return False
    return figure.uploaded_by_id == user.pk or is_editor(user)


def can_preview_post(user, post: Post) -> bool:
    return editable_posts(user).filter(pk=post.pk).exists()


def can_preview_page(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("publishing.view_page")
