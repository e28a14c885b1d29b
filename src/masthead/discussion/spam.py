"""Spam defence: rules, a local classifier and, when configured, Akismet.

``assess`` only classifies; whatever it says, the comment is stored. Rules run
in order: honeypot (spam), form filled too fast, blocklists, links, duplicates
(held), classifier (spam or held), Akismet (spam), then the site's policy.

A reader's comment can read like spam to a model, so the classifier alone
only holds, and says why; spam needs evidence a reader does not leave: the
honeypot, a link to a site the moderators marked spam before, or a score the
classifier is sure of together with several links.
"""

import datetime as dt
import ipaddress
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.discussion import akismet, classifier, precedents, tasks, topic
from masthead.discussion.models import (
    Comment,
    CommentStatus,
    DiscussionSettings,
    Policy,
    digest_body,
)
from masthead.discussion.spam_models import SpamFeature, SpamLesson
from masthead.identity.services import must_enrol_second_factor
from masthead.lib.tasks import run_later

# People take longer than this to read an article and write a reply.
FAST_FORM_SECONDS = 3
DUPLICATE_HOURS = 24
# Shorter texts ("Thanks!") repeat innocently across readers and posts.
DUPLICATE_MIN_CHARS = 20
# How far the article's vocabulary moves the classifier's log-odds: a comment
# on the article's topic is likelier a reader's; an off-topic one that carries
# a way out (a link, a website, a phone number, a handle) likelier spam.
ON_TOPIC_LOGIT = -2.0
OFF_TOPIC_LOGIT = 1.5
# Moderators marked spam this many comments linking to a site: a campaign, not a decoy.
KNOWN_SPAM_SITE = 2
PAYLOAD = {
    "__link__": "a link",
    "__website__": "a website",
    "__phone__": "a phone number",
    "__handle__": "a messenger handle",
}


@dataclass
class Verdict:
    status: str
    reasons: list[str] = field(default_factory=list)
    score: float | None = None


@dataclass
class Opinion:
    """The classifier's score in the article's context, what it means, and why."""

    verdict: str | None
    score: float
    reason: str
    spam_site: str | None = None


def assess(
    comment: Comment,
    config: DiscussionSettings,
    *,
    form_age: float | None = None,
    honeypot: str = "",
) -> Verdict:
    """Say whether a new comment is published, held or spam, and why."""
    opinion = classify(comment)
    score = opinion.score
    if (honeypot or "").strip():
        return Verdict(CommentStatus.SPAM, ["honeypot field filled"], score)
    if opinion.spam_site:
        reason = f"links to {opinion.spam_site}, marked spam before"
        return Verdict(CommentStatus.SPAM, [reason], score)
    rules = (
        too_fast(form_age),
        blocked(comment, config),
        too_many_links(comment, config),
        duplicate(comment),
    )
    holds = [reason for reason in rules if reason]
    if opinion.verdict == "spam":
        return Verdict(CommentStatus.SPAM, [*holds, opinion.reason], score)
    if opinion.verdict == "hold":
        holds.append(opinion.reason)
    if config.akismet_key and akismet.is_spam(comment, config.akismet_key):
        return Verdict(CommentStatus.SPAM, [*holds, "Akismet: spam"], score)
    holds = holds or policy_hold(comment, config)
    status = CommentStatus.PENDING if holds else CommentStatus.APPROVED
    return Verdict(status, holds, score)


@transaction.atomic
def learn(comment: Comment, *, is_spam: bool, report: bool = True) -> None:
    """Teach the classifier a decision; a changed mind replaces the earlier lesson.

    ``report`` passes a moderator's decision on to Akismet too, when it is set up.
    """
    lesson = SpamLesson.objects.select_for_update().filter(comment=comment).first()
    if lesson and lesson.is_spam == is_spam:
        return
    if lesson:
        SpamFeature.objects.add(set(lesson.features), is_spam=lesson.is_spam, step=-1)
    feats = _features(comment)
    SpamFeature.objects.add(feats, is_spam=is_spam)
    SpamLesson.objects.update_or_create(
        comment=comment,
        defaults={"is_spam": is_spam, "features": sorted(feats), "learned_at": timezone.now()},
    )
    if report and DiscussionSettings.current().akismet_key:
        run_later(tasks.report_to_akismet, comment.pk, is_spam)


def classify(comment: Comment) -> Opinion:
    """The classifier's opinion of a comment under its article, lessons included."""
    feats = _features(comment)
    learned = SpamFeature.objects.counts_for(feats)
    lessons = learned.scaled(classifier.LESSON_WEIGHT)
    probability = classifier.probability(feats, classifier.starter(), lessons)
    links = classifier.count_links(comment.body)
    shift, notes = _context(feats, links, topic.overlap(comment.body, comment.post))
    score = 1 / (1 + math.exp(-(_logit(probability) + shift)))
    reason = f"classifier: {score:.2f}" + (f" ({'; '.join(notes)})" if notes else "")
    return Opinion(classifier.judge(score, links), score, reason, _spam_site(feats, learned))


def _context(feats: set[str], links: int, found: topic.Topic) -> tuple[float, list[str]]:
    """How the article and what the comment carries move its log-odds, in the
    moderator's words."""
    carries = [label for feat, label in PAYLOAD.items() if feat in feats]
    if links > 1:
        carries = [f"{links} links" if c == PAYLOAD["__link__"] else c for c in carries]
    # Several links are what spam copying the article's words still gives away.
    if found.on_topic and links < classifier.SEVERAL_LINKS:
        return ON_TOPIC_LOGIT, [f"on topic, {found.describe()}", *carries]
    if found.off_topic and carries:
        return OFF_TOPIC_LOGIT, [f"off topic, {found.describe()}", *carries]
    return 0.0, carries


def _logit(probability: float) -> float:
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


def _spam_site(feats: set[str], learned: classifier.Counts) -> str | None:
    """A site linked to, or given as the website, that moderators marked spam more than
    once and nobody here or in the starter data approved: not one spam's decoy link to
    a well-known site, nor this site itself."""
    own = f"site:{classifier.site(settings.SITE_URL)}"
    for feat in sorted(f for f in feats if f.startswith("site:") and f != own):
        spam, ham = learned.get(feat)
        if spam >= KNOWN_SPAM_SITE and not ham and not classifier.starter().get(feat)[1]:
            return feat.removeprefix("site:")
    return None


def _features(comment: Comment) -> set[str]:
    return classifier.features(comment.body, website=comment.author_url)


def too_fast(form_age: float | None) -> str | None:
    if form_age is not None and form_age < FAST_FORM_SECONDS:
        return f"sent {max(form_age, 0):.0f} s after the form loaded"
    return None


def blocked(comment: Comment, config: DiscussionSettings) -> str | None:
    """Words match whole words anywhere the commenter typed; emails by address or domain."""
    typed = "\n".join([comment.body, comment.author_name, comment.author_email, comment.author_url])
    for word in _lines(config.blocked_words):
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", typed, re.I):
            return f"blocked word: {word}"
    if any(_email_matches(comment.author_email, entry) for entry in _lines(config.blocked_emails)):
        return "blocked email"
    if any(_ip_matches(comment.ip_address, entry) for entry in _lines(config.blocked_ips)):
        return "blocked IP address"
    return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _email_matches(email: str, entry: str) -> bool:
    """``ann@example.org`` blocks that address; ``@example.org`` or ``example.org`` the domain."""
    email, entry = email.lower(), entry.lower()
    if not email:
        return False
    if "@" in entry.lstrip("@"):
        return email == entry
    domain = entry.lstrip("@")
    return email.endswith("@" + domain) or email.endswith("." + domain)


def _ip_matches(ip: str | None, entry: str) -> bool:
    try:
        return bool(ip) and ipaddress.ip_address(ip) in ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False


def too_many_links(comment: Comment, config: DiscussionSettings) -> str | None:
    links = classifier.count_links(comment.body)
    if links > config.max_links:
        return f"{links} links (the limit is {config.max_links})"
    return None


def duplicate(comment: Comment) -> str | None:
    """The same text again: on this post by anyone, or by this person anywhere lately.

    A short text only counts when the same person repeats it on the same post.
    """
    text = " ".join(comment.body.split())
    someone = bool(comment.author_email or comment.ip_address)
    if not text or (not someone and len(text) < DUPLICATE_MIN_CHARS):
        return None
    found = precedents.same_text(
        digest_body(comment.body),
        post_id=comment.post_id,
        email=comment.author_email,
        ip=comment.ip_address,
        since=timezone.now() - dt.timedelta(hours=DUPLICATE_HOURS),
        anyone_on_post=len(text) >= DUPLICATE_MIN_CHARS,
        exclude_pk=comment.pk,
    )
    return "duplicate comment" if found else None


def policy_hold(comment: Comment, config: DiscussionSettings) -> list[str]:
    """The site's policy once no rule objected; staff are never held by it.

    Unless the site requires staff to have a second factor and this account has
    none: a password alone then earns no more trust than a reader's.
    """
    user = comment.user
    if user is not None and user.is_staff and not must_enrol_second_factor(user):
        return []
    if config.policy == Policy.HOLD_ALL:
        return ["every comment is held"]
    if config.policy == Policy.HOLD_UNKNOWN and not _known(comment):
        return ["first comment from this email"]
    return []


def _known(comment: Comment) -> bool:
    """An earlier approved comment by this account, or by this name and email together.

    The name must match too, so knowing a regular's address is not enough.
    """
    return precedents.approved_before(
        email=comment.author_email, name=comment.author_name, user_id=comment.user_id
    )
