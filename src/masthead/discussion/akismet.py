"""Akismet's opinion of a comment, asked only when the site has configured a key.

A failure to reach it is logged and ignored: a comment is never blocked or lost
because a third party is slow or down.
"""

import http.client
import logging
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings

log = logging.getLogger(__name__)

DEFAULT_URL = "https://rest.akismet.com/1.1"
# The comment waits for the answer, so give up quickly.
TIMEOUT_SECONDS = 3


def _ask(method: str, comment, key: str) -> tuple[str, str] | None:
    """Akismet's answer and debug hint, or None when it could not be reached."""
    base = getattr(settings, "MASTHEAD_AKISMET_URL", DEFAULT_URL).rstrip("/")
    request = Request(
        f"{base}/{method}",
        data=urlencode(fields(comment, key)).encode(),
        headers={"User-Agent": "Masthead | Akismet/1.1"},
    )
    try:
        with urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = response.read(100).decode("utf-8", "replace").strip()
            return answer, response.headers.get("X-akismet-debug-help", "")
    except (OSError, http.client.HTTPException, ValueError) as error:
        log.warning("Akismet not reached for %s: %s", method, error)
        return None


def is_spam(comment, key: str) -> bool:
    """True when Akismet says spam; False when it says ham or cannot be asked."""
    reply = _ask("comment-check", comment, key)
    if reply is None:
        return False
    answer, hint = reply
    if answer not in ("true", "false"):
        log.warning("Akismet answered %r %s", answer, hint)
        return False
    return answer == "true"


def report(comment, key: str, *, is_spam: bool) -> bool:
    """Tell Akismet a moderator's verdict, so its filter learns from this site too."""
    reply = _ask("submit-spam" if is_spam else "submit-ham", comment, key)
    return reply is not None


def fields(comment, key: str) -> dict[str, str]:
    """The comment-check parameters, from what the commenter sent."""
    site = settings.SITE_URL
    return {
        "api_key": key,
        "blog": site,
        "user_ip": comment.ip_address or "",
        "user_agent": comment.user_agent,
        "permalink": site + comment.target.get_absolute_url(),
        "comment_type": "reply" if comment.parent_id else "comment",
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url,
        "comment_content": comment.body,
        "comment_date_gmt": comment.created_at.isoformat(),
        "blog_lang": settings.LANGUAGE_CODE,
        "blog_charset": "UTF-8",
    }
