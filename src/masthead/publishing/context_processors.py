from django.conf import settings

from masthead.publishing.models import Page


def site(request):
    """Site-wide facts every template may show; the menu is queried only if used."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "SITE_URL": settings.SITE_URL,
        "menu_pages": lambda: list(
            Page.objects.published().filter(menu_order__gt=0).only("title", "path")
        ),
    }
