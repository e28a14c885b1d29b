"""``Authorization: Bearer <token>`` for the staff endpoints, and who may do what."""

from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from masthead.api.tokens import TokenRefused, user_for_token
from masthead.desk.access import can_moderate, can_write
from masthead.identity.services import must_enrol_second_factor

SECOND_FACTOR_FIRST = (
    "This site asks staff for a second factor: set one up on your profile page, "
    "then this token works again."
)


class StaffToken(HttpBearer):
    openapi_description = (
        "A staff API token, made on the desk (/desk/tokens/) or your profile page: `Bearer mh_…`."
    )

    def authenticate(self, request, token):
        try:
            user = user_for_token(token)
        except TokenRefused as exc:
            raise AuthenticationError(message=str(exc)) from None
        # The staff pages would send this person to set up a second factor first; a
        # token, made before the site asked for one, must not be the way around it.
        if must_enrol_second_factor(user):
            raise HttpError(403, SECOND_FACTOR_FIRST)
        # Permission checks and services read the person acting from the request.
        request.user = user
        return user


staff_token = StaffToken()


def require_moderator(user) -> None:
    if not can_moderate(user):
        raise HttpError(403, "Moderating comments needs a Moderator or Editor role.")


def require_writer(user) -> None:
    if not can_write(user):
        raise HttpError(403, "Writing posts needs an Author or Editor role.")


def require_publisher(user) -> None:
    if not user.has_perm("publishing.publish_post"):
        raise HttpError(403, "Publishing needs an Author or Editor role.")
