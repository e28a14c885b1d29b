"""What the desk's menu needs on every page: the section it marks, and the moderation
link with its count for those who moderate."""

from masthead.desk import access, queue


def menu(request, section: str) -> dict:
    context = {"desk_section": section}
    if access.can_moderate(request.user):
        context.update(can_moderate=True, counts=queue.status_counts())
    return context
