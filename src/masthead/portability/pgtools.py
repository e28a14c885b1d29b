"""PostgreSQL's own dump tools, run against the site's database settings."""

import os
import shutil
import subprocess
from pathlib import Path


class ToolError(Exception):
    """A PostgreSQL client tool is missing or failed; the message says which and why."""


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ToolError(
            f"{name} is not installed or not on PATH; it comes with PostgreSQL's client "
            "tools (Debian: apt-get install postgresql-client), of the server's version or newer."
        )
    return found


def _connection_args(db: dict) -> tuple[list[str], dict]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict | None = None) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        name = Path(command[0]).name
        raise ToolError(f"{name} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result.stdout


def dump(db: dict, path: Path) -> None:
    """The whole database in pg_dump's custom format, read from one snapshot."""
    args, env = _connection_args(db)
    _run([_tool("pg_dump"), "--format=custom", f"--file={path}", *args, db["NAME"]], env)


def check_dump(path: Path) -> None:
    """pg_restore reads the dump's table of contents, which a torn dump cannot give."""
    listing = _run([_tool("pg_restore"), "--list", str(path)])
    if "TABLE DATA" not in listing:
        raise ToolError(f"{path} holds no table data.")


def restore(db: dict, path: Path) -> None:
    """Replace the database's objects with the dump's, in one transaction."""
    args, env = _connection_args(db)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={db['NAME']}",
            *args,
            str(path),
        ],
        env,
    )
