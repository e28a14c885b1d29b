"""`masthead nginx_config`: the front that sends from disk what Masthead wrote there."""

import io
import re
import subprocess

import pytest
from django.core.management import CommandError, call_command


def config(**options) -> str:
    out = io.StringIO()
    options.setdefault("listen", "127.0.0.1:8080")
    options.setdefault("upstream", "127.0.0.1:8000")
    call_command("nginx_config", stdout=out, **options)
    return out.getvalue()


def block(text: str, opening: str) -> str:
    """The body of the block that starts with ``opening`` (no nested blocks but ``if``)."""
    start = text.index(opening + " {")
    depth, i = 0, start
    while True:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if text[i] == "}" and depth == 0:
            return text[start:i]
        i += 1


def test_pages_come_from_disk_for_get_and_head_without_query_or_session(settings):
    pages = block(config(), "location /")
    assert f'root "{settings.MASTHEAD_PAGES_DIR}/";' in pages
    assert "try_files ${uri}index.html @masthead;" in pages
    assert "gzip_static on;" in pages
    text = config()
    for scheme in ("http", "https"):
        assert f'"{scheme} GET testserver 0" 1;' in text
        assert f'"{scheme} HEAD testserver 0" 1;' in text
    assert "$scheme $request_method $host $is_args$masthead_personal" in text
    cookies = re.search(r'map \$http_cookie \$masthead_personal \{[^}]*"~([^"]+)" 1;', text)
    pattern = cookies.group(1)
    for header in ("sessionid=abc", "a=1; sessionid=abc", "a=1;messages=x", "sessionid"):
        assert re.search(pattern, header), header
    for header in ("xsessionid=abc", "a=sessionid", "csrftoken=abc; theme=dark"):
        assert not re.search(pattern, header), header


def test_everything_else_goes_to_the_app(settings):
    app = block(config(), "location @masthead")
    assert "proxy_pass http://masthead;" in app
    assert "proxy_http_version 1.1;" in app
    assert 'proxy_set_header Connection "";' in app
    assert "proxy_set_header Host $http_host;" in app  # the port too
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in app
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in app
    assert 'proxy_set_header Forwarded "";' in app
    upstream = block(config(upstream="127.0.0.1:9123"), "upstream masthead")
    assert "server 127.0.0.1:9123;" in upstream and "keepalive" in upstream


def test_pages_from_disk_carry_the_headers_the_app_sends(wsgi, make_post):
    sent = wsgi(make_post().get_absolute_url()).headers
    pages = block(config(), "location /")
    added = dict(re.findall(r'add_header ([\w-]+) "([^"]*)";', pages))
    for name in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "Cache-Control",
    ):
        assert added[name] == sent[name.lower()], name


def test_on_an_https_site_pages_come_from_disk_over_https_only_and_with_hsts(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    text = config()
    assert '"https GET testserver 0" 1;' in text and '"https HEAD testserver 0" 1;' in text
    assert '"http GET testserver 0"' not in text and '"http HEAD testserver 0"' not in text
    pages = block(text, "location /")
    assert 'add_header Strict-Transport-Security "max-age=31536000";' in pages


def test_a_plain_http_site_sends_no_hsts_from_disk(settings):
    assert "Strict-Transport-Security" not in config()


def test_static_files_and_uploads_come_from_disk(settings):
    text = config()
    static = block(text, "location /static/")
    assert f'alias "{settings.STATIC_ROOT}/";' in static
    assert "gzip_static on;" in static
    media = block(text, "location /media/")
    assert f'alias "{settings.MEDIA_ROOT}/";' in media
    assert "immutable" in media and "nosniff" in media


def test_it_runs_from_a_directory_of_its_own(settings):
    text = config()
    assert "events {" in text and "http {" in text
    assert "\npid nginx.pid;" in text
    assert "\nerror_log error.log" in text
    assert 'access_log "access.log";' in text
    assert "types {" in text and not re.search(r"^\s*include ", text, re.M)
    assert "MASTHEAD_TRUSTED_PROXIES" in text.split("daemon off;")[0]
    assert "access_log off;" in config(access_log="off")
    assert "\nuser www-data;" in config(user="www-data")


def test_with_pages_off_only_files_are_sent_from_disk(settings):
    settings.MASTHEAD_PAGES_DIR = None
    text = config()
    assert "try_files" not in text
    assert "proxy_pass http://masthead;" in block(text, "location /")


def test_uploads_in_a_bucket_are_left_to_the_bucket(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    assert "location /media/" not in config()


@pytest.mark.parametrize("listen", ["8080; include /etc/passwd", "0.0.0.0:80 {", ""])
def test_it_refuses_an_address_nginx_would_misread(listen):
    with pytest.raises(CommandError):
        config(listen=listen)


def test_it_refuses_a_path_nginx_would_misread(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "$document_root"
    with pytest.raises(CommandError):
        config()


def test_nginx_accepts_it(nginx, tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(config(access_log="off"))
    checked = subprocess.run(
        [nginx, "-t", "-p", f"{tmp_path}/", "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert checked.returncode == 0, checked.stderr
