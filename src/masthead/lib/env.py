"""Typed readers for MASTHEAD_* environment variables."""

import os
import secrets
from pathlib import Path


def envstr(name: str, default: str) -> str:
    # NAME_FILE lets container secrets be mounted as files.
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    # Set-but-empty counts as unset, as shells and compose files often pass it.
    return os.environ.get(name) or default


def envbool(name: str, default: bool) -> bool:
    value = envstr(name, "")
    if not value:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    value = envstr(name, "")
    return int(value) if value.strip() else default


def load_secret_key(data_dir: Path) -> str:
    """The configured key, or one generated once and kept in the data directory."""
    key = envstr("MASTHEAD_SECRET_KEY", "")
    if key:
        return key
    path = data_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    # O_EXCL so two workers starting together agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key
