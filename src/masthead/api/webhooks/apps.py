from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "masthead.api.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from masthead.api.webhooks import receivers  # noqa: F401
