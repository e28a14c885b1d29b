"""Every error the API gives is JSON with a ``detail`` a person can act on."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from masthead.api.cursors import BadCursor
from masthead.discussion import ratelimit

# Our endpoints' names for a request's JSON body and query, which callers never see.
PARAMETERS = ("payload", "filters", "paging")
ASK_FOR_TOKEN = "This needs a staff API token: send `Authorization: Bearer <token>`."


class RateLimited(HttpError):
    def __init__(self, message: str):
        super().__init__(429, message)
        self.retry_after = 3600 if message == ratelimit.TOO_MANY else 60


class Invalid(HttpError):
    """422 with the problems field by field, and all of them in one sentence."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        text = "; ".join(
            f"{name}: {' '.join(messages)}" if name else " ".join(messages)
            for name, messages in errors.items()
        )
        super().__init__(422, text)


def form_errors(form, names: dict[str, str]) -> Invalid:
    return Invalid(
        {
            "" if field == "__all__" else names.get(field, field): list(messages)
            for field, messages in form.errors.items()
        }
    )


def _schema_errors(exc: SchemaError) -> Invalid:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # ("body", "payload", "title"): where, which parameter, then the field the caller sent.
        place = [str(p) for p in error.get("loc", ())[1:]]
        if place and place[0] in PARAMETERS:
            place = place[1:]
        errors.setdefault(".".join(place), []).append(error.get("msg", "is not valid") + ".")
    return Invalid(errors)


def install(api) -> None:
    """The API's answers to every error its endpoints raise."""

    def reply(request, exc: HttpError, **extra):
        response = api.create_response(
            request, {"detail": exc.message, **extra}, status=exc.status_code
        )
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        if exc.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="masthead"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if isinstance(exc, Invalid):
            return reply(request, exc, errors=exc.errors)
        return reply(request, exc)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        if exc.message == "Unauthorized":  # no token at all
            exc = AuthenticationError(message=ASK_FOR_TOKEN)
        return reply(request, exc)

    @api.exception_handler(SchemaError)
    def invalid(request, exc):
        found = _schema_errors(exc)
        return reply(request, found, errors=found.errors)

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc):
        found = Invalid(
            {("" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"": exc.messages}
        )
        return reply(request, found, errors=found.errors)

    @api.exception_handler(BadCursor)
    def bad_cursor(request, exc):
        return reply(request, HttpError(422, str(exc)))

    @api.exception_handler(Http404)
    def missing(request, exc):
        return reply(request, HttpError(404, str(exc) or "Not found."))

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return reply(request, HttpError(403, str(exc) or "You may not do this."))
