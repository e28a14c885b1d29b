"""WordPress eXtended RSS, read as a stream of plain records.

The file is read element by element (iterparse) and each item is dropped once
handed over, so memory stays flat however large the export. Entities can only
be declared in a DOCTYPE, so a file with one is read by defusedxml, which
refuses entity declarations: that closes both the external-entity hole and the
entity-expansion bombs. A file without one (WordPress writes none) has nothing
to expand or fetch, and is read by the standard library's C parser, three times
quicker. Anything malformed is reported with its place either way.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pyexpat import ExpatError, ParserCreate
from typing import BinaryIO

import defusedxml
from defusedxml.ElementTree import iterparse

# WXR 1.0 to 1.2, written by WordPress with http:// and by some exporters with https://.
_PREFIXES = (
    (re.compile(r"^https?://wordpress\.org/export/1\.\d+/excerpt/$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/1\.\d+/$"), "wp"),
    (re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/$"), "content"),
    (re.compile(r"^https?://purl\.org/dc/elements/1\.1/$"), "dc"),
    (re.compile(r"^https?://wellformedweb\.org/CommentAPI/$"), "wfw"),
)
PROLOG_CHUNKS = 16  # of 64 KiB, read before the root to see whether a DOCTYPE comes first
_TOP_LEVEL = {"wp:author", "wp:category", "wp:tag", "wp:term", "item"}


class WxrError(Exception):
    """The file cannot be imported; the message says where and why."""


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""

    @property
    def site_url(self) -> str:
        """The address that tells one WordPress site's ids from another's."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


@dataclass
class Record:
    """One author, category, tag or item: ``kind`` and its fields by short name."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    categories: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[dict[str, str]] = field(default_factory=list)


_names: dict[str, str] = {}


def _short(tag: str) -> str:
    """ "{http://wordpress.org/export/1.2/}post_id" → "wp:post_id", remembered."""
    name = _names.get(tag)
    if name is None:
        name = tag
        if tag.startswith("{"):
            uri, _, local = tag[1:].partition("}")
            prefix = next((p for pattern, p in _PREFIXES if pattern.match(uri)), uri)
            name = f"{prefix}:{local}"
        _names[tag] = name
    return name


def _text(element: ET.Element) -> str:
    return element.text or ""


def _pairs(element: ET.Element) -> dict[str, str]:
    return {_short(child.tag): _text(child) for child in element}


def _item(element: ET.Element) -> Record:
    record = Record("item")
    for child in element:
        name = _short(child.tag)
        if name == "category":
            record.categories.append(
                (child.get("domain", "category"), child.get("nicename", ""), _text(child))
            )
        elif name == "wp:postmeta":
            pair = _pairs(child)
            record.meta[pair.get("wp:meta_key", "")] = pair.get("wp:meta_value", "")
        elif name == "wp:comment":
            record.comments.append(_comment(child))
        else:
            record.fields[name] = _text(child)
    return record


def _comment(element: ET.Element) -> dict[str, str]:
    fields = {}
    for child in element:
        name = _short(child.tag)
        if name == "wp:commentmeta":
            continue
        fields[name] = _text(child)
    return fields


def _record(name: str, element: ET.Element) -> Record:
    if name == "item":
        return _item(element)
    return Record(name.removeprefix("wp:"), _pairs(element))


def _position(error: ET.ParseError) -> str:
    line, column = getattr(error, "position", (0, 0))
    return f"line {line}, column {column + 1}"


class _RootReached(Exception):
    pass


class _Replayed:
    """The stream, its first bytes given again (they were read to look at the prolog)."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self.head, self.stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.stream.read(size)
        head, self.head = self.head, b""
        return head


def _prolog(stream: BinaryIO) -> tuple[bytes, bool]:
    """The bytes read up to the root element, and whether they hold no DOCTYPE.

    Anything the probe cannot read counts as a DOCTYPE, and so does a prolog
    longer than a megabyte (it is held in memory): defusedxml then reads the
    file and reports what is wrong with it.
    """
    probe, plain, read = ParserCreate(), True, []

    def doctype(*args):
        nonlocal plain
        plain = False

    def root(*args):
        raise _RootReached

    probe.StartDoctypeDeclHandler = doctype
    probe.StartElementHandler = root
    while len(read) < PROLOG_CHUNKS and (data := stream.read(64 * 1024)):
        read.append(data)
        try:
            probe.Parse(data, False)
        except _RootReached:
            return b"".join(read), plain
        except ExpatError:
            break
    return b"".join(read), False


def _events(stream: BinaryIO):
    head, plain = _prolog(stream)
    stream = _Replayed(head, stream)
    if plain:
        return ET.iterparse(stream, events=("start", "end"))
    return iterparse(stream, events=("start", "end"), forbid_entities=True, forbid_external=True)


def read(stream: BinaryIO) -> Iterator[Channel | Record]:
    """The channel header first (once its fields are read), then each record in order."""
    channel, announced, parent = Channel(), False, None
    events = _events(stream)
    depth = 0
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1 and _short(element.tag) != "rss":
                    raise WxrError(f"This is not a WordPress export: its root is <{element.tag}>.")
                if depth == 2:
                    parent = element
                continue
            depth -= 1
            name = _short(element.tag)
            if depth == 2 and name in _TOP_LEVEL:
                if not announced:
                    announced = True
                    yield channel
                yield _record(name, element)
                parent.clear()
            elif depth == 2:
                _header(channel, name, _text(element))
    except ET.ParseError as error:
        raise WxrError(
            f"The file is not well-formed XML at {_position(error)}: {error.msg}"
        ) from None
    except defusedxml.EntitiesForbidden as error:
        raise WxrError(
            f"The file declares an entity ({error.name}); entities are refused, "
            "since they can reach other files or expand without end."
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise WxrError(f"The file was refused: {error}") from None
    if not announced:
        if not channel.wxr_version and not channel.link:
            raise WxrError("This is not a WordPress export: it has no channel.")
        yield channel


def _header(channel: Channel, name: str, value: str) -> None:
    key = {
        "title": "title",
        "link": "link",
        "wp:base_site_url": "base_site_url",
        "wp:base_blog_url": "base_blog_url",
        "wp:wxr_version": "wxr_version",
    }.get(name)
    if key:
        setattr(channel, key, value.strip())
