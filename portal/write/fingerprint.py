"""What a build depends on, as one digest: every content file, the portal's own code,
templates, static files and schemas, and the versions of the libraries that shape the output.

The output folder's marker keeps the digest of the build that made it; when nothing changed,
there is nothing to do (the pages are a pure function of these inputs: no clock, no randomness).
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from portal.paths import PORTAL

LIBRARIES = ("jinja2", "markdown", "nh3", "frictionless", "pyyaml", "pagefind", "segno", "pillow", "markupsafe")
CODE = ("portal", "templates", "static", "schema")


def digest(content: Path, drafts: bool) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"drafts={drafts}\n".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}=={version}\n".encode())
    for label, root in [("content", content), *[(name, PORTAL / name) for name in CODE]]:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
                h.update(hashlib.blake2b(path.read_bytes(), digest_size=20).digest())
    return h.hexdigest()
