"""Full-text search over published posts, with the same results on SQLite and PostgreSQL.

The query is split into words here, once, so both engines get the same terms:
every term must match, with English stemming and accents on Latin letters
ignored. SQLite asks the FTS5 table ``publishing_post_search`` of migration
0002_search; PostgreSQL the GIN-indexed column ``search_vector`` of migration
0003_search_vector, whose trigger folds text as ``_fold`` folds terms here.

Results are ordered by where the words are, newest first within each group:
title holds every term, title holds some, excerpt holds some, body only. An
engine score (bm25, ts_rank) would order differently on each engine and costs a
pass over every matching body.
"""

import functools
import operator
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchVectorExact, SearchVectorField
from django.db import connections
from django.db.models import Case, Func, Q, TextField, Value, When
from django.db.models.expressions import Col, Expression, RawSQL

from masthead.publishing.models import Post
from masthead.publishing.querysets import PostQuerySet

MAX_QUERY_CHARS = 200
MAX_TERMS = 20
FTS_TABLE = "publishing_post_search"
PG_CONFIG = "english"

# PostgreSQL's English stop words: its queries drop them, so SQLite's must too.
_STOP_WORDS = """i me my myself we our ours ourselves you your yours yourself yourselves he him
    his himself she her hers herself it its itself they them their theirs themselves
    what which who whom this that these those am is are was were be been being have
    has had having do does did doing a an the and but if or because as until while of
    at by for with about against between into through during before after above below
    to from up down in out on off over under again further then once here there when
    where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def search_posts(query: str, *, limit: int | None = None) -> PostQuerySet:
    """Published posts holding every word of ``query``, best match first.

    A lazy queryset built on ``Post.objects.for_listing()``, so a Paginator can
    count and slice it; empty when the query holds no searchable word.
    """
    terms = search_terms(query)
    posts = Post.objects.for_listing()
    if not terms:
        return posts.none()
    match = _postgres if connections[posts.db].vendor == "postgresql" else _sqlite
    found = match(posts, terms).order_by("-search_tier", "-published_at", "-id")
    return found[:limit] if limit is not None else found


def search_terms(query: str) -> list[str]:
    """The distinct words of a query, lower-cased, without stop words, capped."""
    text = unicodedata.normalize("NFC", _clip(query)).lower()
    words = "".join(char if _in_word(char) else " " for char in text).split()
    return [word for word in dict.fromkeys(words) if _searchable(word)][:MAX_TERMS]


def _in_word(char: str) -> bool:
    # Letters, marks and digits, as FTS5's unicode61 tokenizer reads them.
    return unicodedata.category(char)[0] in "LMN"


def _clip(query: str) -> str:
    """At most MAX_QUERY_CHARS, dropping a word the cut would leave half-typed."""
    end = min(len(query), MAX_QUERY_CHARS)
    while 0 < end < len(query) and _in_word(query[end]) and _in_word(query[end - 1]):
        end -= 1
    return query[:end]


def _searchable(word: str) -> bool:
    # Marks alone make no word; a stop word is one PostgreSQL would drop.
    bare = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
    has_base = any(unicodedata.category(char)[0] in "LN" for char in word)
    return has_base and bare not in STOP_WORDS


def _tier(title_has_all, title_has_some, excerpt_has_some) -> Case:
    return Case(
        When(title_has_all, then=Value(3)),
        When(title_has_some, then=Value(2)),
        When(excerpt_has_some, then=Value(1)),
        default=Value(0),
    )


# SQLite: FTS5 MATCH strings. Each term is quoted, so no input reads as syntax.


def _fts(terms: list[str], joiner: str, column: str = "") -> Q:
    prefix = f"{column} : " if column else ""
    expression = f" {joiner} ".join(f'{prefix}"{term}"' for term in terms)
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    return Q(pk__in=RawSQL(sql, [expression]))


def _sqlite(posts: PostQuerySet, terms: list[str]) -> PostQuerySet:
    return posts.filter(_fts(terms, "AND")).alias(
        search_tier=_tier(
            _fts(terms, "AND", "title"), _fts(terms, "OR", "title"), _fts(terms, "OR", "excerpt")
        )
    )


# PostgreSQL: columns that 0003_search_vector's trigger writes and the model leaves
# out, so that Django never writes them.


def _fold(expression) -> Func:
    return Func(expression, function="publishing_search_fold", output_field=TextField())


class _Stored(Expression):
    """A tsvector column of publishing_post: search_vector (A title, B excerpt,
    C body) to match through its GIN index, search_head (A title, B excerpt) to
    order, since it stays in the row while search_vector is stored out of line.
    """

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__()
        self.column = SearchVectorField()
        self.column.set_attributes_from_name(column)

    def resolve_expression(self, query=None, *args, **kwargs):
        # A Col follows the alias the post table gets, in a subquery too.
        return Col(query.get_initial_alias(), self.column)


def _head(weight: str) -> Func:
    """The title's (``a``) or the excerpt's (``b``) lexemes, read from search_head."""
    return Func(
        _Stored("search_head"),
        Value(f"{{{weight}}}"),
        function="ts_filter",
        output_field=SearchVectorField(),
    )


def _postgres(posts: PostQuerySet, terms: list[str]) -> PostQuerySet:
    queries = [SearchQuery(_fold(Value(term)), config=PG_CONFIG) for term in terms]
    every = functools.reduce(operator.and_, queries)
    some = functools.reduce(operator.or_, queries)
    title, excerpt = _head("a"), _head("b")
    return posts.filter(SearchVectorExact(_Stored("search_vector"), every)).alias(
        search_tier=_tier(
            SearchVectorExact(title, every),
            SearchVectorExact(title, some),
            SearchVectorExact(excerpt, some),
        )
    )
