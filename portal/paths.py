"""Where the portal's own files are; names from content that become parts of URLs and file
paths, checked before use."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# Run from a checkout, the portal's templates, static files and schemas are folders beside the
# package; installed (pip install .), the wheel carries them inside it, under _data/.
_CHECKOUT = PACKAGE.parent
INSTALLED = not (_CHECKOUT / "schema").is_dir() and (PACKAGE / "_data").is_dir()
PORTAL = PACKAGE / "_data" if INSTALLED else _CHECKOUT
SCHEMA_DIR = PORTAL / "schema"
TEMPLATES_DIR = PORTAL / "templates"
STATIC_DIR = PORTAL / "static"

_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_SEGMENT = re.compile(r"^[^\W_][\w.\-\u00b7（）()]*$")
MAX_SEGMENT = 80


def segment_problem(name: str) -> str | None:
    """Why ``name`` cannot be one part of a URL path, or None when it can."""
    if not name:
        return "名称为空"
    if name != unicodedata.normalize("NFC", name):
        return "含有未规范化的 Unicode 字符"
    if len(name) > MAX_SEGMENT:
        return f"太长（{len(name)} 个字符，最多 {MAX_SEGMENT} 个）"
    if "%" in name or "/" in name or "\\" in name or "\x00" in name or name in {".", ".."}:
        return "含有路径字符（/ \\ % 或 ..）"
    if _DEVICE.match(name):
        return "是 Windows 保留的设备名"
    if not _SEGMENT.match(name) or name.endswith("."):
        return "只能由文字、数字、连字符、下划线和点组成，且以文字或数字开头"
    return None


def key(name: str) -> str:
    """Two names that would be the same file on a case-insensitive or normalising disk."""
    return unicodedata.normalize("NFKC", name).casefold()
