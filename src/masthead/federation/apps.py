from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "masthead.federation"
    label = "federation"
    verbose_name = "Fediverse"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from masthead.federation import outbound  # noqa: F401  (signal receivers)
