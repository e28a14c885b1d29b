from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "masthead.portability"
    label = "portability"
    verbose_name = "Import and export"
