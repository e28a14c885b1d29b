"""Third-party test data kept beside the project in ../shared/data (see its PROVENANCE.md)."""

import os
from pathlib import Path

# Beside the project, unless MASTHEAD_SHARED_DATA says where (a checkout elsewhere).
ROOT = Path(
    os.environ.get("MASTHEAD_SHARED_DATA")
    or Path(__file__).resolve().parent.parent / ".." / "shared" / "data"
)


def shared_data(*parts: str) -> Path | None:
    """The path, or None where the data is absent; under CI its absence is an error."""
    path = ROOT.joinpath(*parts)
    if path.exists():
        return path
    if os.environ.get("CI") == "true":
        raise FileNotFoundError(f"CI needs the shared test data at {path}")
    return None
