import pytest

from masthead.lib.env import envbool, envint, envstr, load_secret_key


def test_it_reads_a_secret_from_a_file_when_NAME_FILE_is_set(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("MASTHEAD_X_FILE", str(secret))
    assert envstr("MASTHEAD_X", "default") == "from-a-file"


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_it_reads_booleans_the_way_people_write_them(monkeypatch, raw, expected):
    monkeypatch.setenv("MASTHEAD_FLAG", raw)
    assert envbool("MASTHEAD_FLAG", False) is expected


def test_it_falls_back_to_the_default_for_empty_numbers(monkeypatch):
    monkeypatch.setenv("MASTHEAD_N", " ")
    assert envint("MASTHEAD_N", 7) == 7


def test_it_generates_a_secret_key_once_and_keeps_it(monkeypatch, tmp_path):
    monkeypatch.delenv("MASTHEAD_SECRET_KEY", raising=False)
    first = load_secret_key(tmp_path)
    assert len(first) >= 50
    assert load_secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_configured_secret_key_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("MASTHEAD_SECRET_KEY", "configured")
    assert load_secret_key(tmp_path) == "configured"
    assert not (tmp_path / "secret_key").exists()
