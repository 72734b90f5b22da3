"""Chinese full-text search: Pagefind's extended build (it segments Chinese) indexes the staged
site at build time into pagefind/; the search page loads its self-hosted UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    pass


def index(site: Path) -> None:
    """Index the built pages that carry data-pagefind-body; fail the build if Pagefind fails."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "pagefind", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not (site / "pagefind" / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind 建立搜索索引失败：{result.stderr.strip() or result.stdout.strip()}")
