from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "masthead.discussion"
    verbose_name = "Discussion"

    def ready(self):
        from masthead.discussion import (  # noqa: F401
            accounts,
            caching,
            demo,
            lessons,
            notifications,
            signals,
        )
