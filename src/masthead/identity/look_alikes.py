"""Names that read the same: one key for "Eddie Marsh", "EDDIE  MARSH" and its Cyrillic twin.

The key folds what a reader cannot see on the page: compatibility forms
(fullwidth, mathematical letters), invisible format characters, case,
runs of spaces, and letters of other scripts drawn like Latin ones (Unicode's
confusables list, as confusable-homoglyphs ships it).
"""

import functools
import unicodedata
from importlib.metadata import version

from confusable_homoglyphs import utils
from django.core.cache import cache

# Within ASCII, what most type faces draw alike.
ASCII_ALIKE = str.maketrans({"0": "o", "1": "l", "|": "l"})
SEQUENCES = (("rn", "m"), ("vv", "w"))


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    # Capitals first (capital Cyrillic EN is drawn as H, its small form is not h), then small.
    text = "".join(_latin(ch) for ch in text).casefold()
    text = "".join(_latin(ch) for ch in text).translate(ASCII_ALIKE)
    for drawn, read in SEQUENCES:
        text = text.replace(drawn, read)
    return " ".join(text.split())


def _latin(ch: str) -> str:
    """The ASCII letter or digit ``ch`` is drawn like, or ``ch`` itself."""
    return ch if ch.isascii() else _drawn_like().get(ch, ch)


@functools.cache
def _drawn_like() -> dict[str, str]:
    """Each character drawn like an ASCII letter or digit, and that letter or digit.

    Read from confusable-homoglyphs' table once for the whole site and kept in the
    shared cache: the table takes 18 MB of any process that holds it, this 0.1 MB.
    """
    key = f"masthead:look-alikes:{version('confusable-homoglyphs')}"
    found = cache.get(key)
    if found is None:
        found = {}
        for ch, glyphs in utils.load("confusables.json").items():
            for glyph in glyphs:
                alike = glyph["c"]
                if not ch.isascii() and len(alike) == 1 and alike.isascii() and alike.isalnum():
                    # A capital drawn like l (Cyrillic I, the Roman numeral one) is a capital I.
                    found[ch] = "I" if alike == "l" and ch.isupper() else alike
                    break
        cache.set(key, found, None)
    return found
