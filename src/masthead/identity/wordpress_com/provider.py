"""WordPress.com as an allauth OAuth2 provider."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from masthead.identity.wordpress_com.views import WordPressComOAuth2Adapter

API_URL = "https://public-api.wordpress.com"


class WordPressComAccount(ProviderAccount):
    def get_profile_url(self):
        return self.account.extra_data.get("profile_URL")

    def get_avatar_url(self):
        return self.account.extra_data.get("avatar_URL")

    def to_str(self):
        data = self.account.extra_data
        return data.get("display_name") or data.get("username") or super().to_str()


class WordPressComProvider(OAuth2Provider):
    id = "wordpress_com"
    name = "WordPress.com"
    account_class = WordPressComAccount
    oauth2_adapter_class = WordPressComOAuth2Adapter

    def get_api_url(self) -> str:
        """The API origin; an app's ``api_url`` setting points it elsewhere (tests)."""
        url = self.app.settings.get("api_url") or self.get_settings().get("API_URL", API_URL)
        return url.rstrip("/")

    def get_default_scope(self):
        # "auth" grants the /me endpoints only: no access to the person's blogs.
        return ["auth"]

    def extract_uid(self, data):
        return str(data["ID"])

    def extract_common_fields(self, data):
        return {
            "email": data.get("email"),
            "username": data.get("username"),
            "name": data.get("display_name"),
        }

    def extract_email_addresses(self, data):
        email = data.get("email")
        if not email:
            return []
        verified = data.get("email_verified") is True
        return [EmailAddress(email=email, verified=verified, primary=True)]


provider_classes = [WordPressComProvider]
