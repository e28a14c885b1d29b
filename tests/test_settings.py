"""The settings module read from a clean environment, as a new installation sees it."""

import json
import os
import subprocess
import sys
from email.utils import parseaddr

import pytest
from django.db import connection


def settings_in(tmp_path, **env):
    script = (
        "import json, django; from django.conf import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, "
        "'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
        "'cache': s.CACHES['default']['BACKEND'], "
        "'cache_dir': s.CACHES['default'].get('LOCATION'), 'email': s.EMAIL_BACKEND, "
        "'key': s.SECRET_KEY, 'storage': s.STORAGES['default'], "
        "'serve_media': s.MASTHEAD_SERVE_MEDIA, 'from': s.DEFAULT_FROM_EMAIL, "
        "'server_from': s.SERVER_EMAIL, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'proxy_ssl': s.SECURE_PROXY_SSL_HEADER, "
        "'cookie_secure': s.SESSION_COOKIE_SECURE}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}
    clean.update(DJANGO_SETTINGS_MODULE="masthead.settings", MASTHEAD_DATA_DIR=str(tmp_path))
    clean.update(env)
    out = subprocess.run(
        [sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_the_defaults_are_safe_and_self_contained(tmp_path):
    s = settings_in(tmp_path)
    assert s["debug"] is False
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "masthead.sqlite3")
    # Shared by every worker of the node, not one copy per process.
    assert s["cache"] == "masthead.lib.disk_cache.SharedDiskCache"
    assert s["cache_dir"] == str(tmp_path / "cache")
    assert s["email"].endswith("console.EmailBackend")
    assert s["key"] == (tmp_path / "secret_key").read_text()
    assert s["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert s["serve_media"] is True


def test_allowed_hosts_follow_the_site_url(tmp_path):
    s = settings_in(tmp_path, MASTHEAD_SITE_URL="https://news.example.org")
    assert s["hosts"] == ["news.example.org"]


def test_an_https_site_sends_hsts_and_redirects_plain_http(tmp_path):
    s = settings_in(tmp_path, MASTHEAD_SITE_URL="https://news.example.org")
    assert s["hsts"] >= 180 * 24 * 3600
    assert s["ssl_redirect"] is True and s["cookie_secure"] is True


def test_an_https_site_behind_trusted_proxies_takes_the_scheme_from_them(tmp_path):
    """TLS ends at the proxy: without its word every request looks plain and redirects forever."""
    s = settings_in(
        tmp_path, MASTHEAD_SITE_URL="https://news.example.org", MASTHEAD_TRUSTED_PROXIES="10.0.0.2"
    )
    assert s["proxy_ssl"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_plain_http_site_neither_redirects_nor_sends_hsts(tmp_path):
    s = settings_in(tmp_path)
    assert s["hsts"] == 0 and s["ssl_redirect"] is False and s["cookie_secure"] is False


def test_email_comes_from_the_site_by_name_and_host(tmp_path):
    s = settings_in(
        tmp_path, MASTHEAD_SITE_URL="https://news.example.org", MASTHEAD_SITE_NAME="Harbour Post"
    )
    assert s["from"] == s["server_from"] == "Harbour Post <noreply@news.example.org>"


@pytest.mark.parametrize(
    "site_url",
    ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]", "http://10.0.0.7"],
)
def test_a_local_or_bare_ip_site_sends_from_a_valid_address(tmp_path, site_url):
    assert (
        settings_in(tmp_path, MASTHEAD_SITE_URL=site_url)["from"] == "Masthead <noreply@localhost>"
    )


def test_a_site_name_with_punctuation_is_quoted_in_the_sender(tmp_path):
    s = settings_in(
        tmp_path, MASTHEAD_SITE_URL="https://news.example.org", MASTHEAD_SITE_NAME='Tide, "Daily"'
    )
    assert s["from"] == '"Tide, \\"Daily\\"" <noreply@news.example.org>'
    assert parseaddr(s["from"]) == ('Tide, "Daily"', "noreply@news.example.org")


def test_the_sender_can_be_set_outright(tmp_path):
    s = settings_in(tmp_path, MASTHEAD_FROM_EMAIL="Desk <desk@example.net>")
    assert s["from"] == "Desk <desk@example.net>"


def test_scale_mode_uses_postgresql_and_redis(tmp_path):
    s = settings_in(
        tmp_path,
        MASTHEAD_DATABASE_URL="postgres://u:p@db.internal:5432/site",
        MASTHEAD_CACHE_URL="redis://cache.internal:6379/0",
        MASTHEAD_EMAIL_URL="smtp://mailer.internal:587?tls=1",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["cache"] == "django_redis.cache.RedisCache"
    assert s["email"].endswith("smtp.EmailBackend")


def test_uploads_go_to_an_s3_bucket_named_by_the_storage_url(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("wJalrXUtnFEMI/K7MDENG\n")
    s = settings_in(
        tmp_path,
        MASTHEAD_STORAGE_URL=(
            "s3://ledger-media/uploads/?endpoint=https://objects.example.net&region=eu-central-1"
        ),
        MASTHEAD_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        MASTHEAD_S3_SECRET_ACCESS_KEY_FILE=str(secret),
    )
    assert s["storage"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "ledger-media",
            "location": "uploads",
            "endpoint_url": "https://objects.example.net",
            "region_name": "eu-central-1",
            "access_key": "AKIAEXAMPLE",
            "secret_key": "wJalrXUtnFEMI/K7MDENG",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    # The bucket serves the files, not the app.
    assert s["serve_media"] is False


def test_without_keys_the_bucket_is_reached_with_the_hosts_own_credentials(tmp_path):
    s = settings_in(
        tmp_path,
        MASTHEAD_STORAGE_URL=(
            "s3://ledger-media?endpoint=https://minio.internal:9000&addressing_style=path"
            "&custom_domain=news.example.org/media"
        ),
        MASTHEAD_SERVE_MEDIA="on",
    )
    options = s["storage"]["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options
    assert options["location"] == ""
    assert options["addressing_style"] == "path"
    assert options["custom_domain"] == "news.example.org/media"
    assert s["serve_media"] is True


@pytest.mark.parametrize(
    "url",
    [
        "s3://ledger-media?endpoint_url=https://objects.example.net",  # misspelt: refused
        "s3://?region=eu-central-1",
        "gs://ledger-media",
    ],
)
def test_a_storage_url_it_cannot_follow_stops_the_start(tmp_path, url):
    with pytest.raises(subprocess.CalledProcessError) as failed:
        settings_in(tmp_path, MASTHEAD_STORAGE_URL=url)
    assert "ImproperlyConfigured: MASTHEAD_STORAGE_URL must be s3://" in failed.value.stderr


@pytest.mark.django_db
def test_sqlite_runs_with_a_busy_timeout(settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000


def test_sqlite_files_run_in_wal_mode(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "masthead.cli", "migrate", "-v0"],
        env={**os.environ, "MASTHEAD_DATA_DIR": str(tmp_path), "MASTHEAD_DATABASE_URL": ""},
        check=True,
    )
    import sqlite3

    db = sqlite3.connect(tmp_path / "masthead.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
