"""How much of a comment's vocabulary it shares with the article it answers.

Spam is written for any page and a reader answers this one, so a comment that
borrows the article's words is most likely a reader's. Words are compared by
their first letters (a crude stem that also serves other languages than
English: "library" and "libraries" meet); short and common words are left out.
The article's side is worked out once per version of the post and kept in the
shared cache, so a comment POST costs one cache read.
"""

from dataclasses import dataclass

from django.core.cache import cache

from masthead.discussion import classifier

STEM = 6
MIN_LETTERS = 4
# Fewer words than this say too little to call a comment off topic.
MIN_WORDS = 5
ON_TOPIC_SHARE = 0.2
OFF_TOPIC_SHARE = 0.1
CACHE_SECONDS = 7 * 24 * 3600
# Enough of a long read to know its subject; keeps the cached entry small.
MAX_ARTICLE = 50_000

_COMMON = """
    about above after again against also although always another anyone anything around
    because been before being below between both cannot could does doing done down during
    each either else enough even ever every from further have having here how however into
    just know like made make many more most much must never next none only other ought over
    own really same said says should since some such than that their theirs them then there
    these they thing think this those though through thus today under until upon very want
    well were what when where whether which while will with within without would year years
    your yours yourself
"""
COMMON = frozenset(_COMMON.split())


def stems(text: str) -> set[str]:
    """The comparable words of a text: no addresses, no digits, no common words."""
    plain = classifier.without_links(text)
    return {
        w[:STEM]
        for w in classifier.words(plain)
        if len(w) >= MIN_LETTERS and not w.isdigit() and w not in COMMON
    }


def article_stems(post) -> frozenset[str]:
    """The article's words, cached for as long as this version of the post stands."""
    stamp = post.updated_at.isoformat() if post.updated_at else ""
    key = f"masthead:topic:{post._meta.model_name}:{post.pk}:{stamp}"
    found = cache.get(key)
    if found is None:
        text = f"{post.title}\n{post.excerpt}\n{post.body}"[:MAX_ARTICLE]
        found = " ".join(sorted(stems(text)))
        cache.set(key, found, CACHE_SECONDS)
    return frozenset(found.split())


@dataclass(frozen=True)
class Topic:
    shared: int
    words: int

    @property
    def share(self) -> float:
        return self.shared / self.words if self.words else 0.0

    @property
    def on_topic(self) -> bool:
        return self.shared >= 2 and self.share >= ON_TOPIC_SHARE

    @property
    def off_topic(self) -> bool:
        return self.words >= MIN_WORDS and self.share < OFF_TOPIC_SHARE

    def describe(self) -> str:
        return f"{self.shared} of {self.words} words from the article"


def overlap(text: str, post) -> Topic:
    """How many of the comment's words the article uses too."""
    words = stems(text)
    return Topic(len(words & article_stems(post)), len(words))
