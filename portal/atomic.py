"""Files replaced whole: a reader sees the old file or the new one, never half of one.

Three writers need it: the preview patching pages a browser may be reloading, the cache another
build may be reading, and the monthly forms (the exported .xlsx, the imported posts, which the
preview may be watching). Each file is written to a hidden temporary beside it (the same folder,
so the same disk) and renamed over it; the temporary is removed when anything fails. The new
file gets the permissions any new file gets (the user's umask), like the rest of the output.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path


def write_file(path: Path, data: bytes, private: bool = False) -> None:
    """Write ``data`` to ``path`` (its folders made), replacing any file there in one step;
    ``private``: readable and writable by this user only (what files.private trusts)."""
    write_files({path: data}, private)


def write_files(files: Mapping[Path, bytes], private: bool = False) -> None:
    """Write every file, then rename them all into place: a failure before the renames (a full
    disk, a folder that cannot be made) changes none of them and leaves no temporary behind."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            with open(temporary, "xb") as file:  # "x": never an existing file, whoever made it
                staged.append((temporary, path))
                file.write(data)
            if private:
                os.chmod(temporary, 0o600)
        for temporary, path in staged:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
