"""Finds what would run in a browser: active tags, event handlers, script URLs."""

import re
from html.parser import HTMLParser

ACTIVE_TAGS = {
    *("script", "style", "iframe", "object", "embed", "frame", "frameset", "applet"),
    *("svg", "math", "form", "input", "button", "textarea", "base", "meta", "link"),
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def _is_dangerous_url(value: str) -> bool:
    # html.parser has already decoded entities in the value, as a browser would.
    return INVISIBLE.sub("", value).lower().startswith(BAD_SCHEMES)


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            self.problems.extend(_attribute_problems(tag, name, value or ""))


def _attribute_problems(tag: str, name: str, value: str) -> list[str]:
    if name.startswith("on"):
        return [f"<{tag} {name}>"]
    if name in URL_ATTRIBUTES and _is_dangerous_url(value):
        return [f"<{tag} {name}={value!r}>"]
    if name == "srcset" and any(_is_dangerous_url(c) for c in value.split(",")):
        return [f"<{tag} srcset={value!r}>"]
    if name == "style" and re.search(r"url\(|expression|javascript", value, re.IGNORECASE):
        return [f"<{tag} style={value!r}>"]
    return []


def problems_in(html: str) -> list[str]:
    audit = _Audit()
    audit.feed(html)
    audit.close()
    return audit.problems
