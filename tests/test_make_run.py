"""`make run` from a clean copy of the project: install, migrate, demo, serve."""

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _clean_copy(dest: Path) -> None:
    """The files a fresh clone would hold: tracked and unignored ones."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _wait_for(url: str, seconds: float, proc) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"make run exited early with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(1)
    pytest.fail(f"{url} did not answer within {seconds:.0f}s")


def test_make_run_serves_the_demo_publication(tmp_path):
    project = tmp_path / "masthead"
    _clean_copy(project)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASTHEAD_", "DJANGO_"))}
    env.pop("VIRTUAL_ENV", None)
    log = (tmp_path / "make-run.log").open("w")
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}", "PYTHON=python3"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        home = _wait_for(f"http://127.0.0.1:{port}/", 600, proc)
        assert "<title>" in home and 'class="card' in home
        feed = _wait_for(f"http://127.0.0.1:{port}/feed/", 30, proc)
        assert "<rss" in feed
        css = _wait_for(f"http://127.0.0.1:{port}/static/masthead/css/site.css", 30, proc)
        assert "--accent" in css
        assert (project / "var" / "masthead.sqlite3").exists()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
