"""nginx in the same run: the static reference and the generated front.

nginx sending the article's own bytes from disk is the most this machine can
do for that page; every other row is read as a share of it. Each nginx runs in
the foreground from a directory of its own, so nothing outside it is touched.
"""

import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")

STATIC_CONF = """\
daemon off;
worker_processes auto;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    default_type text/html;
    sendfile on;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {dir}/html;
        location / {{
            try_files /article.html =404;
        }}
    }}
}}
"""


class Nginx:
    """One foreground nginx, stopped by its own pid when the run ends."""

    def __init__(self, workdir: Path, conf: Path, port: int, extra: str = ""):
        command = [NGINX, "-p", f"{workdir}/", "-c", str(conf), "-e", str(workdir / "error.log")]
        if extra:
            command += ["-g", extra]
        self.stderr = (workdir / "stderr.log").open("w")
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=self.stderr, start_new_session=True
        )
        try:
            _wait_for_port(port, self.process, workdir)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.stderr.close()


def static(html: bytes, port: int, workdir: Path) -> Nginx:
    """nginx answering every path with the article's bytes."""
    _prepare(workdir)
    (workdir / "html").mkdir(mode=0o755)
    (workdir / "html" / "article.html").write_bytes(html)
    (workdir / "html" / "article.html").chmod(0o644)
    conf = workdir / "nginx.conf"
    conf.write_text(STATIC_CONF.format(dir=workdir, port=port))
    return Nginx(workdir, conf, port)


def generated_front(
    masthead: Path, env: dict, port: int, upstream_port: int, workdir: Path
) -> Nginx | str:
    """nginx from ``masthead nginx_config``; a reason instead when it cannot run."""
    helped = subprocess.run(
        [masthead, "nginx_config", "--help"], env=env, capture_output=True, timeout=120
    )
    if helped.returncode:
        return "not built"
    listen, upstream = f"127.0.0.1:{port}", f"127.0.0.1:{upstream_port}"
    made = subprocess.run(
        [masthead, "nginx_config", "--listen", listen, "--upstream", upstream],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if made.returncode:
        return f"nginx_config failed: {_last_line(made.stderr)}"
    _prepare(workdir)
    conf = workdir / "nginx.conf"
    conf.write_text(made.stdout)
    # Keep it in the foreground and its pid file in its own directory.
    extra = "" if re.search(r"^\s*daemon\s", made.stdout, re.M) else "daemon off;"
    if not re.search(r"^\s*pid\s", made.stdout, re.M):
        extra += f" pid {workdir}/nginx.pid;"
    try:
        return Nginx(workdir, conf, port, extra.strip())
    except RuntimeError as exc:
        return str(exc)


def _prepare(workdir: Path) -> None:
    # As root, nginx workers run as an unprivileged user who must read the files.
    workdir.mkdir(mode=0o755)
    workdir.chmod(0o755)
    (workdir / "tmp").mkdir(mode=0o755)


def _wait_for_port(port: int, process: subprocess.Popen, workdir: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = [workdir / "stderr.log", workdir / "error.log"]
            log = "".join(p.read_text() for p in logs if p.exists())
            raise RuntimeError(f"nginx exited: {_last_line(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not listen on port {port}")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
