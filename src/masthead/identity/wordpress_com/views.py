"""The OAuth2 handshake with WordPress.com and the profile fetch after it."""

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)


class WordPressComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wordpress_com"

    # Read per request, so the app's settings decide where the API lives.
    @property
    def api_url(self) -> str:
        return self.get_provider().get_api_url()

    @property
    def authorize_url(self) -> str:
        return f"{self.api_url}/oauth2/authorize"

    @property
    def access_token_url(self) -> str:
        return f"{self.api_url}/oauth2/token"

    @property
    def profile_url(self) -> str:
        return f"{self.api_url}/rest/v1/me"

    def complete_login(self, request, app, token, **kwargs):
        headers = {"Authorization": f"Bearer {token.token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
            profile = response.json()
        return self.get_provider().sociallogin_from_response(request, profile)


oauth2_login = OAuth2LoginView.adapter_view(WordPressComOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WordPressComOAuth2Adapter)
