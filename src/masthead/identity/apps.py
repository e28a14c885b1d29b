from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "masthead.identity"
    verbose_name = "Identity"

    def ready(self):
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        # The admin's own login form would skip email verification, rate limits
        # and the second factor; send everyone through allauth's instead.
        admin.site.login = secure_admin_login(admin.site.login)

        # Their signal receivers.
        from masthead.identity import commenter, superusers  # noqa: F401
