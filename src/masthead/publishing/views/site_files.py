"""Files asked for at the site's root whatever its pages link to."""

from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    # Pages link the SVG icon; browsers without it, feed readers and bookmarks ask here.
    return HttpResponseRedirect(static("masthead/img/favicon.ico"))
