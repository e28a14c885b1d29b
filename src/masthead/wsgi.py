import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
# Stored pages are answered ahead of Django: see masthead.lib.pagecache.
from masthead.lib.pagecache import PageCache

application = PageCache(get_wsgi_application())


def _settle() -> None:
    """Load every view now, then take what is loaded out of the garbage collector's
    rounds. Its collections otherwise rescan Django's few hundred thousand long-lived
    objects, about 0.2 ms of every comment POST and more of a long thread's render;
    collecting the young generation less often halves the rest."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 -- imports every view module
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


_settle()
