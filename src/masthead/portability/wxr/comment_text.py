"""A WordPress comment's HTML as the Markdown a reader would have typed here.

New comments are Markdown rendered with raw HTML shown as text, so imported
ones are turned into Markdown first and then go through the very same
renderer and sanitizer: the formatting WordPress allowed in comments
(links, emphasis, quotes, code, lists) survives, and anything else is text.
"""

import re
from html.parser import HTMLParser

_MARKS = {"em": "*", "i": "*", "strong": "**", "b": "**", "code": "`", "del": "~~", "s": "~~"}
_HIDDEN = {"script", "style", "template"}
_ESCAPE = re.compile(r"([\\`*_\[\]<>#|~])")
_SPACE = re.compile(r"[ \t\r\f\v]+")


class _Converter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.quote = 0
        self.lists: list[list] = []
        self.pre = 0
        self.hidden = 0

    # Lines are started with the quote and list markers in force.
    def _newline(self, blank: bool = False) -> None:
        prefix = "> " * self.quote
        self.out.append(("\n" + prefix.rstrip()) if blank else "")
        self.out.append("\n" + prefix)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _MARKS and not self.pre:
            self.out.append(_MARKS[tag])
        elif tag == "a":
            href = (attrs.get("href") or "").strip()
            # Only links out stay links; the renderer would show any other as text.
            if not href.lower().startswith(("http://", "https://", "mailto:")):
                href = ""
            self.links.append(href or None)
            if href:
                self.out.append("[")
        elif tag == "br":
            self.out.append("  ")
            self._newline()
        elif tag in ("p", "div"):
            self._newline(blank=True)
        elif tag == "blockquote":
            self._newline(blank=True)
            self.quote += 1
            self._newline()
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
            self._newline(blank=True)
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            kind[1] += 1
            self._newline()
            self.out.append("  " * (len(self.lists) - 1))
            self.out.append(f"{kind[1]}. " if kind[0] == "ol" else "- ")
        elif tag == "pre":
            self._newline(blank=True)
            self.out.append("```")
            self._newline()
            self.pre += 1

    def handle_endtag(self, tag):
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        elif tag in _MARKS and not self.pre:
            self.out.append(_MARKS[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.out.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")
        elif tag == "blockquote" and self.quote:
            self.quote -= 1
            self._newline(blank=True)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newline(blank=True)
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self._newline()
            self.out.append("```")
            self._newline(blank=True)
        elif tag in ("p", "div"):
            self._newline(blank=True)

    def handle_data(self, data):
        if self.hidden:
            return
        if self.pre:
            self.out.append(data)
            return
        if not data.strip():
            # Whitespace between tags: a blank line parts paragraphs, else it is a space.
            if re.search(r"\n\s*\n", data):
                self._newline(blank=True)
            elif self.out and not self.out[-1].endswith((" ", "\n")):
                self.out.append(" ")
            return
        if self.out and self.out[-1].endswith("\n"):
            # A newline after <br> or a block edge is the same break, not another.
            data = data.lstrip("\n")
        lines = data.split("\n\n")
        for i, text in enumerate(lines):
            if i:
                self._newline(blank=True)
            text = _ESCAPE.sub(r"\\\1", _SPACE.sub(" ", text))
            self.out.append(text.replace("\n", "  \n" + "> " * self.quote))


# Most comments hold nothing but paragraphs, breaks and emphasis: those take a quick path.
# Imports run it for every comment, so runs of text are taken whole (possessively:
# a failed match gives nothing back to try again) and each step skips the regular
# expressions that cannot change its text.
_SIMPLE_TAG = re.compile(r"<(/?)(p|em|strong|b|i|br)\s*/?>")
_SIMPLE = re.compile(r"(?:[^<&]++|<(?:/?(?:p|em|strong|b|i)|br\s*+/?)>)*+")
_LONE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")
_BLANK_LINE = re.compile(r"\n\s*\n")
_SPACED_BREAK = re.compile(r" *  \n *")


def _plain_text(text: str) -> str:
    text = text.strip()
    if "\n" not in text:
        return _ESCAPE.sub(r"\\\1", _SPACE.sub(" ", text))
    return "\n\n".join(
        _LONE_NEWLINE.sub("  \n", _ESCAPE.sub(r"\\\1", _SPACE.sub(" ", p.strip())))
        for p in _BLANK_LINE.split(text)
        if p.strip()
    )


def _edge(space: str) -> str:
    if not space:
        return ""
    return "\n\n" if "\n" in space and _BLANK_LINE.search(space) else " "


def _edges(text: str) -> str:
    """The text as Markdown, keeping whether it was spaced from the tags around it."""
    core = text.strip()
    if len(core) == len(text):
        return _plain_text(core) if core else ""
    if not core:
        return _edge(text)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return _edge(text[:start]) + _plain_text(core) + _edge(text[end:])


def _simple_markdown(html: str) -> str:
    parts = _SIMPLE_TAG.split(html)
    blocks, current = [], []
    # split() gives text, then (slash, name) pairs with the text after each tag.
    for i in range(0, len(parts), 3):
        current.append(_edges(parts[i]))
        if i + 2 < len(parts):
            name = parts[i + 2]
            if name == "p":
                blocks.append("".join(current))
                current = []
            elif name == "br":
                current.append("  \n")
            else:
                current.append(_MARKS[name])
    blocks.append("".join(current))
    text = "\n\n".join(b.strip(" ") for b in blocks if b.strip())
    return _SPACED_BREAK.sub("  \n", text) if "  \n" in text else text


def comment_markdown(html: str) -> str:
    """Markdown for a comment's HTML; paragraphs and line breaks as WordPress showed them."""
    if "<" not in html and "&" not in html:
        return _plain_text(html)
    if _SIMPLE.fullmatch(html):
        return _simple_markdown(html)
    converter = _Converter()
    converter.feed(html)
    converter.close()
    text = "".join(converter.out)
    text = "\n".join(
        line.rstrip() if not line.endswith("  ") else line for line in text.split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip()
