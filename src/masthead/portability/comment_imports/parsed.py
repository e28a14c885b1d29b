"""What every comment format is read into, and the checks that make a field storable.

A format's reader only translates; the rules for names, addresses, dates and
statuses live here so that every format applies them the same way.
"""

import datetime as dt
import ipaddress
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.dateparse import parse_datetime

from masthead.discussion.querysets import CommentStatus
from masthead.lib.emails import normalize_email

ANONYMOUS = "Anonymous"
NAME_LENGTH = 100
URL_LENGTH = 300
_web_url = URLValidator(schemes=["http", "https"])


class BadFile(Exception):
    """The file cannot be read as the format says; nothing was stored."""


@dataclass
class Thread:
    """A page the old system kept comments for; ``locators`` say which post it is."""

    key: str
    locators: list[str] = field(default_factory=list)
    title: str = ""
    site: str = ""  # the host the page was on, when the file says; it namespaces legacy ids


@dataclass
class Entry:
    """One comment as the file holds it, fields already made storable."""

    key: str
    thread: str
    body: str
    created_at: dt.datetime
    parent: str | None = None
    author_name: str = ANONYMOUS
    author_email: str = ""
    author_url: str = ""
    ip_address: str | None = None
    status: str = CommentStatus.APPROVED
    deleted: bool = False

    @property
    def has_text(self) -> bool:
        return not self.deleted and bool(self.body.strip())


@dataclass
class Parsed:
    """A whole file: ``name`` namespaces legacy ids ("disqus:4"), ``label`` is for people.

    ``by_site``: the file's ids are only unique within one site, so its legacy
    ids also carry the site ("isso:old.example:/ferry/#1"); Disqus's are unique
    across Disqus, and keep their form.
    """

    name: str
    label: str
    by_site: bool = True
    threads: dict[str, Thread] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    # Comments left out while reading, by reason.
    skipped: Counter = field(default_factory=Counter)

    def add(self, entry: Entry, *, missing_key: str, site: str = "") -> None:
        """Keep a comment, and its thread when only comments name threads (Commento,
        Remark42); a comment with no id of its own is counted as skipped."""
        if not entry.key:
            self.skipped[missing_key] += 1
            return
        if entry.thread and entry.thread not in self.threads:
            site = site_name(site) if site else host_of(entry.thread)
            self.threads[entry.thread] = Thread(entry.thread, [entry.thread], site=site)
        self.entries.append(entry)


_SITE = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?$")


def site_name(value: str) -> str:
    """A site as legacy ids name it: its host, lower case, without "www."; "" if not one."""
    value = value.strip().lower()
    if "//" in value:
        value = urlsplit(value).netloc
    value = value.rpartition("@")[2].removeprefix("www.")
    return value if _SITE.match(value) else ""


def host_of(url: str) -> str:
    """The site of a thread's address: "" for a bare path or identifier, which names none."""
    return site_name(url) if "//" in url else ""


def author_name(*candidates: str | None) -> str:
    """The first name given, cut to fit; a comment nobody signed is "Anonymous"."""
    for name in candidates:
        name = " ".join((name or "").split())
        if name:
            return name[:NAME_LENGTH]
    return ANONYMOUS


def author_email(value: str | None) -> str:
    """A usable address, normalised, or "" (a missing or broken one is no reason to drop)."""
    email = normalize_email(value or "")
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def author_url(value: str | None) -> str:
    """A web address the comment form would take, or ""; never javascript: or the like."""
    url = (value or "").strip()
    if len(url) > URL_LENGTH:
        return ""
    try:
        _web_url(url)
    except ValidationError:
        return ""
    return url


def ip_address(value: str | None) -> str | None:
    """The address as stored, or None for a missing, broken or placeholder (0.0.0.0) one."""
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    return None if address.is_unspecified else str(address)


def timestamp(value: str | None, where: str) -> dt.datetime:
    """An ISO 8601 time; one without a zone is taken as UTC, as these systems store it."""
    text = (value or "").strip()
    try:
        moment = parse_datetime(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None:
        raise BadFile(f"{where}: {text!r} is not a date and time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def read_json(path: Path):
    """The file's JSON; a syntax error names its line and column."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise json_error(path, error) from None


def json_error(path: Path, error: json.JSONDecodeError, line: int | None = None) -> BadFile:
    """Where the JSON breaks, as a person finds it in an editor."""
    return BadFile(f"{path.name}: line {line or error.lineno}, column {error.colno}: {error.msg}")


def read_text(path: Path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise BadFile(f"{path}: {error.strerror}") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(f"{path.name}: byte {error.start} is not UTF-8") from error


def expect(value, kind: type, where: str):
    """The value if it has the JSON type the format gives it, else a clear refusal."""
    if not isinstance(value, kind):
        names = {dict: "an object", list: "a list", str: "a string"}
        raise BadFile(f"{where}: expected {names.get(kind, kind.__name__)}")
    return value
