"""``masthead nginx_config``: an nginx.conf that serves from disk what it can.

nginx sends static files, uploads, and the pages Masthead has written to its
pages directory (``lib.pagefiles``) to readers without a session; everything
else goes to ``masthead serve``. See docs/deploy.md.
"""

import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from masthead.lib.middleware import PERMISSIONS_POLICY, POLICY
from masthead.lib.pagecache import CACHE_CONTROL, PERSONAL_COOKIES
from masthead.lib.pagefiles import site_host

ADDRESS = re.compile(r"[\w.:\[\]/-]+")

HEADER = """\
# nginx in front of Masthead, written by `masthead nginx_config` for
# MASTHEAD_DATA_DIR=%(data_dir)s.
# Run it as it is:  nginx -p DIR -c FILE
# (DIR: a directory for its pid file, logs and temporary files).
#
# MASTHEAD_TRUSTED_PROXIES must include the address nginx connects to Masthead
# from (127.0.0.1/32 when both run on this host); otherwise every reader has
# nginx's address, and one reader's rate limits and blocks hit everyone.
#
# From disk: /static/, /media/, and, for GET and HEAD with no query string
# and no %(cookies)s cookie, the pages Masthead wrote to
# %(pages)s
# Everything else goes to Masthead at %(upstream)s.
# No brotli: Debian's nginx has no brotli module; gzip covers every browser.
"""

CONFIG = """\
daemon off;
worker_processes auto;
pid nginx.pid;
error_log error.log warn;
%(user)s
events {
    worker_connections 1024;
}

http {
    types {
        text/html html;
        text/css css;
        application/javascript js mjs;
        image/svg+xml svg;
        image/png png;
        image/jpeg jpg jpeg;
        image/gif gif;
        image/webp webp;
        image/avif avif;
        image/x-icon ico;
        application/xml xml;
        application/rss+xml rss;
        application/atom+xml atom;
        application/json json map;
        text/plain txt;
        font/woff2 woff2;
        font/woff woff;
    }
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    access_log %(access_log)s;
    client_body_temp_path client_body_temp;
    proxy_temp_path proxy_temp;
    fastcgi_temp_path fastcgi_temp;
    uwsgi_temp_path uwsgi_temp;
    scgi_temp_path scgi_temp;
    # The largest upload Masthead accepts (MASTHEAD_MAX_UPLOAD_MB), and the form around it.
    client_max_body_size %(max_body)dk;

    gzip on;
    gzip_vary on;
    gzip_proxied any;
    gzip_min_length 512;
    gzip_types text/css application/javascript image/svg+xml application/xml
               application/rss+xml application/atom+xml application/json text/plain;

    upstream masthead {
        server %(upstream)s;
        keepalive 16;
    }

    # The pages on disk are the ones everyone gets: the rule of pagecache.shared,
    # less the paging queries (list pages with ?page=N are not written).
    map $http_cookie $masthead_personal {
        default 0;
        "~(?:^|;)\\s*(?:%(cookie_names)s)\\s*(?:=|;|$)" 1;
    }
    # ActivityPub clients get JSON from Masthead where browsers get the page.
    map $http_accept $masthead_activity {
        default 0;
        "~*application/(?:activity|ld)\\+json" 1;
    }
    # On an https site, plain HTTP goes to Masthead, which redirects it.
    map "$scheme $request_method $host $is_args$masthead_personal" $masthead_from_disk {
        default 0;
%(from_disk)s    }
    # Hashed names (collectstatic's manifest) never change; others may.
    map $uri $masthead_static_cache {
        default "public, max-age=60";
        "~\\.[0-9a-f]{12}\\.\\w+$" "public, max-age=31536000, immutable";
    }

    server {
        listen %(listen)s;

        location /static/ {
            alias %(static)s;
            gzip_static on;
            add_header Cache-Control $masthead_static_cache;
            add_header X-Content-Type-Options nosniff;
        }
%(media)s
        location / {
%(pages)s        }
%(app)s    }
}
"""

MEDIA = """
        location /media/ {
            alias %(media_root)s;
            add_header Cache-Control "public, max-age=31536000, immutable";
            add_header X-Content-Type-Options nosniff;
            add_header Content-Security-Policy %(policy)s;
        }
"""

# No open_file_cache: a deleted page must stop being sent at once.
PAGES = """\
            root %(pages_root)s;
            charset utf-8;
            gzip_static on;
            error_page 418 = @masthead;
            if ($masthead_from_disk = 0) {
                return 418;
            }
            if ($masthead_activity) {
                return 418;
            }
            try_files ${uri}index.html @masthead;
%(headers)s"""

PROXY = """\
            proxy_pass http://masthead;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Forwarded "";
            proxy_redirect off;
"""


class Command(BaseCommand):
    help = "Print an nginx.conf that sends pages, static files and uploads from disk."

    def add_arguments(self, parser):
        parser.add_argument("--listen", required=True, help="address:port nginx listens on")
        parser.add_argument(
            "--upstream", required=True, help="address:port of `masthead serve` (or unix:PATH)"
        )
        parser.add_argument(
            "--access-log", default="access.log", help="off, or a file (default: DIR/access.log)"
        )
        parser.add_argument(
            "--user", help="the user nginx's workers run as when started as root (www-data)"
        )

    def handle(self, *args, listen, upstream, access_log, user, **options):
        for name, value in (("--listen", listen), ("--upstream", upstream)):
            if not ADDRESS.fullmatch(value):
                raise CommandError(f"{name} takes an address such as 127.0.0.1:8000")
        if user is not None and not re.fullmatch(r"[\w.-]+", user):
            raise CommandError("--user takes a user name")
        values = {
            "data_dir": settings.DATA_DIR,
            "cookies": " or ".join(sorted(PERSONAL_COOKIES)),
            "cookie_names": "|".join(re.escape(c) for c in sorted(PERSONAL_COOKIES)),
            "from_disk": _from_disk(_nginx_host(site_host() or "localhost")),
            "listen": listen,
            "upstream": upstream,
            "user": f"user {user};\n" if user else "",
            "access_log": "off" if access_log == "off" else _quoted(access_log),
            "max_body": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 + 1,
            "static": _quoted(f"{settings.STATIC_ROOT}/"),
            "media": _media(),
            "pages": _pages(),
            "app": "" if settings.MASTHEAD_PAGES_DIR is None else _named_app(),
        }
        self.stdout.write(
            HEADER % {**values, "pages": settings.MASTHEAD_PAGES_DIR or "(no pages: off)"}
            + CONFIG % values,
            ending="",
        )


def _pages() -> str:
    if settings.MASTHEAD_PAGES_DIR is None:
        return PROXY
    headers = "".join(
        f"            add_header {name} {_quoted(value)};\n"
        for name, value in _page_headers()
        if value
    )
    return PAGES % {"pages_root": _quoted(f"{settings.MASTHEAD_PAGES_DIR}/"), "headers": headers}


def _from_disk(host: str) -> str:
    schemes = ("https",) if settings.SECURE_SSL_REDIRECT else ("http", "https")
    return "".join(
        f'        "{scheme} {method} {host} 0" 1;\n'
        for scheme in schemes
        for method in ("GET", "HEAD")
    )


def _page_headers() -> list[tuple[str, str]]:
    """What the app sends with a cached page (SecurityMiddleware, lib.middleware, pagecache)."""
    return [
        ("Content-Security-Policy", POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", settings.SECURE_REFERRER_POLICY),
        ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        ("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cache-Control", CACHE_CONTROL),
        ("Strict-Transport-Security", _hsts()),
        # Whether nginx sends the file or asks Masthead depends on the cookies.
        ("Vary", "Cookie"),
    ]


def _hsts() -> str:
    """SecurityMiddleware's header; browsers heed it only over HTTPS, where pages are sent."""
    if not settings.SECURE_HSTS_SECONDS:
        return ""
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    return value + ("; preload" if settings.SECURE_HSTS_PRELOAD else "")


def _named_app() -> str:
    return "\n        location @masthead {\n" + PROXY + "        }\n"


def _media() -> str:
    # Uploads in a bucket are served by the bucket.
    if not settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        return ""
    return MEDIA % {"media_root": _quoted(f"{settings.MEDIA_ROOT}/"), "policy": _quoted(POLICY)}


def _nginx_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _quoted(value) -> str:
    text = str(value)
    # nginx would read "$" as a variable and stop at a quote: refuse rather than escape.
    if re.search(r'["$\\\x00-\x1f]', text):
        raise CommandError(f"nginx cannot be given this as it is: {text!r}")
    return f'"{text}"'
