import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
# Stored pages are answered ahead of Django: see masthead.lib.pagecache.
from masthead.lib.pagecache import PageCache

application = PageCache(get_wsgi_application())
