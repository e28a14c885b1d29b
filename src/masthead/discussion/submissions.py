"""A validated "Leave a Reply" form turned into a Submission, for every entry point
that takes one (the page's form, its script, the API), so all send the same."""

from masthead.discussion.services import Submission
from masthead.identity.commenter import commenter_for


def client_ip(request) -> str | None:
    """The reader's address, as ``lib.client_ip`` left it in REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


def submission_from_form(request, post, form) -> Submission:
    data, user = form.cleaned_data, request.user
    commenter = commenter_for(request)
    return Submission(
        post=post,
        body=data["comment"],
        author_name=commenter.name if commenter else data["author"],
        author_email=user.email if commenter else data["email"],
        author_url=data["url"],
        parent=form.parent,
        user=user,
        provider=commenter.provider_id if commenter else "",
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        form_age=form.form_age,
        honeypot=data["contact_me_by_fax"],
        follow_post=data["subscribe_comments"],
        follow_site=data["subscribe_blog"],
    )
