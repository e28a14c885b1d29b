"""What sanitized HTML must be, checked by parsing it: within its allow-list, and well-formed.

Well-formed here means what a browser reads is what the markup spells out: every
element opened is closed in order, and writing the parsed markup back out gives
the same text, character for character.
"""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = frozenset({"br", "hr", "img", "wbr", "area", "col", "embed", "input", "source", "track"})
# Allowed on every tag: ammonia's generic attributes.
GENERIC_ATTRIBUTES = frozenset({"lang", "title"})


@dataclass(frozen=True)
class AllowList:
    tags: frozenset
    attributes: dict
    classes: dict = field(default_factory=dict)
    styles: dict = field(default_factory=dict)  # tag -> CSS properties it may carry
    url_schemes: frozenset = frozenset({"http", "https", "mailto"})
    relative_urls: bool = True


class _Events(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("startend", tag, attrs))

    def handle_endtag(self, tag):
        self.events.append(("end", tag, None))

    def handle_data(self, data):
        self.events.append(("data", data, None))

    def handle_comment(self, data):
        self.events.append(("comment", data, None))

    def handle_decl(self, decl):
        self.events.append(("decl", decl, None))

    def handle_pi(self, data):
        self.events.append(("pi", data, None))

    def unknown_decl(self, data):
        self.events.append(("decl", data, None))


def events(html: str) -> list[tuple]:
    parser = _Events()
    parser.feed(html)
    parser.close()
    return parser.events


def _text(data: str) -> str:
    return escape(data, quote=False).replace("\xa0", "&nbsp;")


def _attribute(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def serialize(parsed: list[tuple]) -> str:
    """Parsed events written back as html5ever writes them."""
    out = []
    for kind, name, attrs in parsed:
        if kind in ("start", "startend"):
            shown = "".join(f' {k}="{_attribute(v or "")}"' for k, v in attrs)
            out.append(f"<{name}{shown}{'/' if kind == 'startend' else ''}>")
        elif kind == "end":
            out.append(f"</{name}>")
        elif kind == "data":
            out.append(_text(name))
        else:
            out.append(f"<!{kind}:{name}>")
    return "".join(out)


def structure_problems(html: str) -> list[str]:
    """Elements closed out of order or never, markup of other kinds, and any text that
    does not read back as written."""
    problems, open_tags = [], []
    parsed = events(html)
    for kind, name, _ in parsed:
        if kind == "start" and name not in VOID:
            open_tags.append(name)
        elif kind == "end" and (not open_tags or open_tags.pop() != name):
            problems.append(f"</{name}> closes nothing open")
        elif kind == "startend":
            problems.append(f"<{name}/> self-closed")
        elif kind not in ("start", "end", "data"):
            problems.append(f"{kind} {name!r}")
    problems.extend(f"<{name}> never closed" for name in open_tags)
    if serialize(parsed) != html:
        problems.append("does not read back as written")
    return problems


def _url_allowed(url: str, allowed: AllowList) -> bool:
    """The scheme as a browser's URL parser finds it: after trimming controls and spaces
    from the ends and dropping tabs and newlines; no scheme means a relative URL."""
    url = re.sub("[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme is None:
        return allowed.relative_urls
    return scheme.group(1).lower() in allowed.url_schemes


def _style_problems(tag: str, value: str, allowed: AllowList) -> list[str]:
    properties = allowed.styles.get(tag, ())
    declarations = [d for d in value.split(";") if d.strip()]
    return [
        f"<{tag} style={value!r}>"
        for d in declarations
        if d.partition(":")[0].strip().lower() not in properties or "(" in d
    ]


def _attribute_problems(tag: str, name: str, value: str, allowed: AllowList) -> list[str]:
    if name == "style" and tag in allowed.styles:
        return _style_problems(tag, value, allowed)
    if name == "class":
        extra = set(value.split()) - set(allowed.classes.get(tag, ()))
        return [f"<{tag} class={sorted(extra)}>"] if extra else []
    if name not in allowed.attributes.get(tag, ()) and name not in GENERIC_ATTRIBUTES:
        return [f"<{tag} {name}>"]
    if name in ("href", "src") and not _url_allowed(value, allowed):
        return [f"<{tag} {name}={value!r}>"]
    if name == "srcset":
        urls = [c.split()[0] for c in value.split(",") if c.strip()]
        return [f"<{tag} srcset={value!r}>" for u in urls if not _url_allowed(u, allowed)]
    return []


def outside_allow_list(html: str, allowed: AllowList) -> list[str]:
    """Every tag, attribute, class, style property and URL the allow-list does not name."""
    problems = []
    for kind, tag, attrs in events(html):
        if kind not in ("start", "startend"):
            continue
        if tag not in allowed.tags:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            problems.extend(_attribute_problems(tag, name, value or "", allowed))
    return problems


def _article() -> AllowList:
    from masthead.publishing import sanitize

    attributes = {
        tag: {*sanitize._ARTICLE_ATTRIBUTES.get(tag, ()), *sanitize._ARTICLE_VALUES.get(tag, ())}
        for tag in sanitize._ARTICLE_TAGS
    }
    return AllowList(
        tags=frozenset(sanitize._ARTICLE_TAGS),
        attributes=attributes,
        classes=sanitize._ARTICLE_CLASSES,
        styles={"th": {"text-align"}, "td": {"text-align"}},
    )


ARTICLE = _article()
# A comment keeps plain formatting and absolute links out, nothing else.
COMMENT = AllowList(
    tags=frozenset({"p", "br", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li"}),
    attributes={"a": {"href", "rel"}, "ol": {"start"}},
    relative_urls=False,
)
