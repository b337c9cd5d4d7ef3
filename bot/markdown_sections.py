"""Replace one top-level section of a Markdown file, keeping the others (docs/benchmarks.md
holds figures written by different commands)."""

from __future__ import annotations

import re
from pathlib import Path


def write_section(path: Path, heading: str, section: str) -> None:
    """Put `section` in the Markdown file at `path` in place of the part under `heading`
    (up to the next top-level heading), or at its end; the rest is kept."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^# |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(old):
        new = pattern.sub(lambda _m: section + "\n", old, count=1).rstrip("\n") + "\n"
    else:
        new = (old.rstrip("\n") + "\n\n" if old else "") + section
    path.write_text(new, encoding="utf-8")
