from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "masthead.identity"
    verbose_name = "Identity"
