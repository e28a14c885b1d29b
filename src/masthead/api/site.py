"""The API at /api/v1/: its routers, its OpenAPI document and its browsable docs.

The docs page is Swagger UI served from our own static files (django-ninja
ships them once ``ninja`` is an installed app), so it calls on no third party.
"""

from ninja import NinjaAPI, Swagger

from masthead.api import comments, content, errors, staff

api = NinjaAPI(
    title="Masthead API",
    version="1",
    description=(
        "Read what the site publishes and its approved comments, post a comment, "
        "and (with a staff token) moderate and write. Lists are paged by cursor: "
        "follow `next` until it is null."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", content.router)
api.add_router("/", comments.router)
api.add_router("/", staff.router)
