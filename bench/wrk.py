"""Drive one URL with wrk and read back its rate and latency percentiles."""

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
WARM_UP_SECONDS = 2
# wrk leaves slower replies out of its latency figures; wait long enough that
# a slow page shows as slow rather than vanishing from the p99.
TIMEOUT = "30s"

# Each request asks for a query string never sent before, so no cache can answer.
DISTINCT_LUA = """
local n = {start}
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?render=" .. n)
end
"""


@dataclass
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    failures: str = ""


def run(url: str, seconds: int, connections: int, threads: int = 2, script: str = "") -> Result:
    """A warm-up, then the measured run with the same settings."""
    _wrk(url, WARM_UP_SECONDS, connections, threads, script)
    return _parse(_wrk(url, seconds, connections, threads, script))


def run_distinct(url: str, seconds: int, workdir: Path) -> Result:
    """One connection, every request a new ?render=N: full renders, one at a time."""
    script = workdir / "distinct.lua"
    # A new starting number per run, so the warm-up and run never repeat one.
    script.write_text(DISTINCT_LUA.format(start=int(time.time() * 1000)))
    return run(url, seconds, connections=1, threads=1, script=str(script))


def _wrk(url: str, seconds: int, connections: int, threads: int, script: str) -> str:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", TIMEOUT]
    if script:
        command += ["-s", script]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr.strip() or done.stdout}")
    return done.stdout


def _parse(out: str) -> Result:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    failures = []
    if re.search(r"^\s+0 requests in", out, re.MULTILINE):
        failures.append("no reply completed in the run")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        failures.append(f"{non_2xx.group(1)} non-2xx")
    sockets = re.search(r"Socket errors: (.*)", out)
    if sockets:
        failures.append(f"socket errors: {sockets.group(1)}")
    return Result(rate, _percentile(out, "50"), _percentile(out, "99"), ", ".join(failures))


def _percentile(out: str, pct: str) -> float:
    found = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\b", out, re.MULTILINE)
    return float(found.group(1)) * UNITS_MS[found.group(2)] if found else float("nan")
