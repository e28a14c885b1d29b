"""``masthead serve`` for one run: started, waited for, measured, stopped."""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path


class Server:
    """The server as readers get it, its output kept in a log to search afterwards."""

    def __init__(self, masthead: Path, env: dict, port: int, workers: int | None, log: Path):
        command = [masthead, "serve", "--port", str(port)]
        if workers:
            command += ["--workers", str(workers)]
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        self._out = log.open("w")
        self.process = subprocess.Popen(
            command, env=env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_up(self, path: str = "/robots.txt", seconds: int = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"masthead serve exited; see {self.log}")
            try:
                urllib.request.urlopen(self.base + path, timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{self.base}{path} never answered")

    def settle(self, seconds: int = 60) -> None:
        """Wait out requests a finished load left queued, so they don't slow the next row.

        wrk hangs up when its time is over, but gunicorn still serves what was
        queued; a quick reply to a probe means the queue is empty again.
        """
        deadline = time.monotonic() + seconds
        quick = 0
        while quick < 2 and time.monotonic() < deadline:
            started = time.monotonic()
            try:
                self.get("/robots.txt")
            except OSError:
                time.sleep(0.2)
                continue
            quick = quick + 1 if time.monotonic() - started < 0.05 else 0

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.base + path, timeout=30) as reply:
            return reply.read()

    def workers(self) -> list[int]:
        """Pids of the gunicorn workers: children of the gunicorn master."""
        masters = [p for p in _children(self.process.pid) if b"gunicorn" in _cmdline(p)]
        return [w for m in masters for w in _children(m)]

    def peak_rss_mb(self) -> list[float]:
        """Each worker's high-water resident size (VmHWM), in MB."""
        peaks = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def log_count(self, text: str) -> int:
        self._out.flush()
        return self.log.read_text(errors="replace").count(text)

    def stop(self) -> None:
        if self.process.poll() is None:
            # serve stops gunicorn and the task worker itself on SIGTERM.
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this run started
            self.process.wait(timeout=5)
        self._out.close()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The name in parentheses may hold spaces; the parent pid follows it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""
