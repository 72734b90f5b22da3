"""Chinese full-text search: Pagefind's extended build (it segments Chinese) indexes the
project and post pages at build time into pagefind/; the search page loads its self-hosted UI.

Pagefind runs as a separate process on the pages that carry data-pagefind-body, started as
soon as those are written, so it indexes on one core while the rest of the site is rendered on
the other.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    pass


def _die_with_parent() -> None:
    """In the Pagefind child: if the build is killed, Pagefind goes too (Linux prctl)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# The pages that carry data-pagefind-body: projects/<id>/ and every post under updates/.
# All of them are written before Pagefind starts; nothing written after matches these.
SEARCHABLE_GLOB = "{projects/[0-9]*/index.html,updates/*/index.html,updates/*/**/index.html}"


class Indexing:
    """Pagefind running over the staged site's searchable pages while the rest is written."""

    def __init__(self, stage: Path):
        self.output = stage / "pagefind"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                str(stage),
                "--glob",
                SEARCHABLE_GLOB,
                "--output-path",
                str(self.output),
                "--quiet",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_die_with_parent,
        )

    def finish(self) -> None:
        """Wait for the index; a failed index fails the build."""
        out, err = self.process.communicate()
        if self.process.returncode != 0 or not (self.output / "pagefind.js").is_file():
            raise SearchIndexError(f"Pagefind 建立搜索索引失败：{err.strip() or out.strip()}")

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
