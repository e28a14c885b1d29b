from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PublishingConfig(AppConfig):
    name = "masthead.publishing"
    verbose_name = "Publishing"

    def ready(self):
        from masthead.publishing import caching, events  # noqa: F401  (receivers)
        from masthead.publishing.roles import ensure_roles
        from masthead.publishing.search_index import restore_triggers

        # After every app's migrations, so later apps' permissions exist too.
        post_migrate.connect(ensure_roles, dispatch_uid="masthead.ensure_roles")
        post_migrate.connect(restore_triggers, sender=self)
        caching.connect()
