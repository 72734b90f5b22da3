"""site.yaml: a handful of typed keys; an unknown key is an error, not silently ignored."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from portal import files, limits
from portal.errors import ContentError, Problem
from portal.load import tables, yamlsafe
from portal.model.records import SiteConfig, check_year
from portal.paths import SCHEMA_DIR

_ADDRESS = re.compile(r"https?://(?P<host>[^/:]+)(:(?P<port>[0-9]+))?/?")  # the shape site.schema.yaml allows
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")  # one part of a host name (RFC 1123)


def load_config(content: Path, shown: str) -> SiteConfig:
    path = content / "site.yaml"
    shown_path = f"{shown}/site.yaml"
    if not os.path.lexists(path):
        raise ContentError([Problem(shown_path, None, None, "找不到站点设置文件 site.yaml")])
    try:
        text = files.read(path, limits.MAX_SETTINGS_BYTES, "站点设置只有十来项：请检查文件内容").decode("utf-8-sig")
        data = yamlsafe.load(text, shown_path)
    except files.Refused as exc:
        raise ContentError([Problem(shown_path, None, None, exc.message)]) from exc
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(shown_path, None, None, "不是 UTF-8 编码：请用 UTF-8 另存")]) from exc
    except yamlsafe.YamlError as exc:
        raise ContentError(exc.problems) from exc
    if not isinstance(data, yamlsafe.Mapping):
        raise ContentError([Problem(shown_path, 1, None, "应为“键: 值”的设置")])
    schema = tables.load_schema(SCHEMA_DIR / "site.schema.yaml")
    known = {f.name for f in schema.fields}
    problems = [
        Problem(shown_path, data.line_of(key), key, f"未知的设置项“{key}”（可用的有：{'、'.join(sorted(known))}）")
        for key in data
        if key not in known
    ]
    raw = tables.RawRow({k: v for k, v in data.items() if k in known}, data.line, dict(data.lines))
    rows, more = tables.validate([raw], schema, shown_path)
    problems += more
    v = rows[0].values
    flagged = {p.field for p in problems}
    problems += [Problem(shown_path, data.line_of(k), k, message) for k, message in _sense(v) if k not in flagged]
    if problems:
        raise ContentError(problems)
    return SiteConfig(
        title=v["title"],
        publisher=v["publisher"],
        site_url=v["site_url"].rstrip("/"),
        base_url="/" + v["base_url"].strip("/") + "/" if v["base_url"].strip("/") else "/",
        language=v["language"],
        report_due_day=v["report_due_day"],
        as_of=v.get("as_of"),
        reporting_from=v.get("reporting_from"),
        demo=bool(v.get("demo")),
        description=v.get("description") or "",
    )


def _sense(v: dict) -> Iterator[tuple[str, str]]:
    """What the schema's types and patterns cannot say: (key, message) for each value that is
    well formed but cannot be meant."""
    if v.get("as_of") is not None:
        try:
            check_year(v["as_of"].year)
        except ValueError as exc:
            yield "as_of", f"数据截至日期“{v['as_of']}”不对：{exc}"
    if v.get("base_url") and {".", ".."} & set(v["base_url"].split("/")):
        yield "base_url", f"站点路径“{v['base_url']}”不能含有 . 或 .. 这样的段：请写成 / 或 /minsheng/ 这样"
    address = _ADDRESS.fullmatch(v.get("site_url") or "")
    if address is None:
        return
    if not all(_LABEL.fullmatch(label) for label in address["host"].split(".")):
        yield "site_url", f"站点地址“{v['site_url']}”的域名不对：应为 www.ybq.gov.cn 这样，每段是字母、数字或连字符"
    elif address["port"] and not (len(address["port"]) <= 5 and 0 < int(address["port"]) < 65536):
        yield "site_url", f"站点地址“{v['site_url']}”的端口不对：应在 1–65535 之间"
