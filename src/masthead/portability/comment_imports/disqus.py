"""Disqus's XML export: <thread> elements (the pages) and <post> elements (the comments).

Read as a stream, one top-level element at a time, through defusedxml with
DTDs refused outright: a Disqus export has none, so a DTD, an entity or an
external reference in one is an attack or a broken file, and nothing is read.

What maps to what:
- thread: its <link> and then its <id> (the "identifier" the site gave Disqus)
  name the post; dsq:id is the key posts refer to.
- post: dsq:id is the key (legacy id "disqus:<dsq:id>"); <parent dsq:id> the
  comment replied to; <message> is HTML; <createdAt>; <author> gives <name>
  (else <username>), <email>; <ipAddress>. <isSpam> true → spam,
  <isApproved> false → pending, else approved; <isDeleted> true → deleted.
"""

from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from masthead.discussion.querysets import CommentStatus
from masthead.portability.comment_imports import parsed
from masthead.portability.comment_imports.htmltext import html_to_markdown

NAME, LABEL = "disqus", "Disqus"
DSQ = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _child(element: Element, name: str) -> Element | None:
    """The child in Disqus's namespace, or in none (hand-made files leave it out)."""
    found = element.find(DSQ + name)
    return found if found is not None else element.find(name)


def _text(element: Element | None, name: str = "") -> str:
    if element is not None and name:
        element = _child(element, name)
    return (element.text or "").strip() if element is not None else ""


def _flag(element: Element, name: str) -> bool | None:
    value = _text(element, name).lower()
    return {"true": True, "1": True, "false": False, "0": False}.get(value)


def _ref(element: Element, name: str) -> str | None:
    child = _child(element, name)
    value = child.get(DSQ_ID, child.get("id", "")).strip() if child is not None else ""
    return value or None


def _key(element: Element) -> str:
    return (element.get(DSQ_ID) or element.get("id") or "").strip()


def _thread(element: Element) -> parsed.Thread:
    return parsed.Thread(
        key=_key(element),
        locators=[_text(element, "link"), _text(element, "id")],
        title=_text(element, "title"),
    )


def _status(element: Element) -> str:
    if _flag(element, "isSpam"):
        return CommentStatus.SPAM
    if _flag(element, "isApproved") is False:
        return CommentStatus.PENDING
    return CommentStatus.APPROVED


def _entry(element: Element, where: str) -> parsed.Entry:
    author = _child(element, "author")
    name = parsed.author_name(_text(author, "name"), _text(author, "username"))
    return parsed.Entry(
        key=_key(element),
        thread=_ref(element, "thread") or "",
        parent=_ref(element, "parent"),
        body=html_to_markdown(_text(element, "message")),
        created_at=parsed.timestamp(_text(element, "createdAt"), where),
        author_name=name,
        author_email=parsed.author_email(_text(author, "email")),
        ip_address=parsed.ip_address(_text(element, "ipAddress")),
        status=_status(element),
        deleted=bool(_flag(element, "isDeleted")),
    )


def parse(path: Path) -> parsed.Parsed:
    result = parsed.Parsed(NAME, LABEL, by_site=False)  # dsq:ids are unique across Disqus
    depth, count = 0, 0
    try:
        events = iterparse(str(path), events=("start", "end"), forbid_dtd=True)
        for event, element in events:
            depth += 1 if event == "start" else -1
            if event == "start" and depth == 1 and _local(element.tag) != "disqus":
                raise parsed.BadFile(f"{path.name}: not a Disqus export (<{element.tag}>)")
            if event != "end" or depth != 1:
                continue
            tag = _local(element.tag)
            if tag == "thread":
                thread = _thread(element)
                if thread.key:
                    result.threads[thread.key] = thread
            elif tag == "post":
                count += 1
                entry = _entry(element, f"{path.name}: post {_key(element) or count}")
                if entry.key:
                    result.entries.append(entry)
                else:
                    result.skipped["no dsq:id"] += 1
            element.clear()
    except ParseError as error:
        line, column = error.position
        reason = str(error).partition(":")[0]
        raise parsed.BadFile(f"{path.name}: line {line}, column {column}: {reason}") from None
    except DefusedXmlException as error:
        raise parsed.BadFile(f"{path.name}: refused, the file declares {_what(error)}") from None
    except OSError as error:
        raise parsed.BadFile(f"{path}: {error.strerror}") from error
    return result


def _what(error: DefusedXmlException) -> str:
    name = type(error).__name__
    if name == "DTDForbidden":
        return "a DTD (a Disqus export has none; it may hide entity expansion)"
    if name == "ExternalReferenceForbidden":
        return "an external reference"
    return "an entity"
