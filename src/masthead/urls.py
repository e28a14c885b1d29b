from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("masthead.identity.urls")),
    path("accounts/", include("allauth.urls")),
    path("desk/", include("masthead.desk.urls")),
    path("", include("masthead.api.urls")),
]
if settings.MASTHEAD_SERVE_MEDIA:
    urlpatterns.append(
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
# Last: the publishing URLs end in a catch-all for pages.
urlpatterns += [
    path("", include("masthead.federation.urls")),
    path("", include("masthead.discussion.urls")),
    path("", include("masthead.publishing.urls")),
]

handler403 = "masthead.publishing.views.errors.forbidden"
handler404 = "masthead.publishing.views.errors.not_found"
handler500 = "masthead.publishing.views.errors.server_error"
