"""Who writes for the demo publication and how its articles are filed.

The articles themselves are the ``post-*.md`` and ``page-*.md`` files next to
this module; they refer to authors, categories, tags and figures by the keys
below.
"""

from masthead.publishing.demo.chart import ferry_ridership_png

PUBLICATION = "The Marrowick Ledger"

AUTHORS = [
    {
        "slug": "tamsin-rowe",
        "display_name": "Tamsin Rowe",
        "bio": (
            "Transport correspondent. Tamsin has covered the harbour, the buses and "
            "the long argument about the ring road since she joined the Ledger as a "
            "trainee. She commutes by ferry and counts that as research."
        ),
    },
    {
        "slug": "dev-malhotra",
        "display_name": "Dev Malhotra",
        "bio": (
            "City hall reporter. Dev reads council papers so readers do not have to, "
            "and turns budget tables into sentences. Before journalism he kept the "
            "accounts for a boatyard on the east quay."
        ),
    },
    {
        "slug": "greta-ashby",
        "display_name": "Greta Ashby",
        "bio": (
            "Culture and opinion editor. Greta writes about the town's festivals, "
            "bookshops and stages, edits the opinion pages and answers the letters, "
            "including the angry ones."
        ),
    },
]

# Parents come before their children; a category is identified by its path.
CATEGORIES = [
    {"path": "news", "name": "News", "description": "What happened in and around Marrowick."},
    {"path": "news/city", "name": "City", "description": "The council, the budget, the streets."},
    {
        "path": "news/transport",
        "name": "Transport",
        "description": "Ferries, buses, trains and the roads between them.",
    },
    {"path": "culture", "name": "Culture", "description": "Festivals, books, music and theatre."},
    {"path": "opinion", "name": "Opinion", "description": "Argument, signed by its authors."},
]

TAGS = [
    {"slug": "ferries", "name": "Ferries"},
    {"slug": "harbour", "name": "Harbour"},
    {"slug": "city-council", "name": "City council"},
    {"slug": "budget", "name": "Budget"},
    {"slug": "festivals", "name": "Festivals"},
    {"slug": "weather", "name": "Weather"},
    {"slug": "books", "name": "Books"},
]

FIGURES = [
    {
        "key": "ferry-ridership",
        "alt_text": (
            "Bar chart of yearly passengers on the Marrowick harbour ferry over ten "
            "years: a steady rise, a sharp dip in the year the pier was rebuilt, then "
            "a climb to a record of 968,000 last year."
        ),
        "caption": (
            "Passengers carried on the harbour route each year. The dip six years ago "
            "is the five months the north pier was closed for rebuilding."
        ),
        "credit": "Chart: The Marrowick Ledger. Data: Marrowick Harbour Authority",
        "draw": ferry_ridership_png,
    },
]
