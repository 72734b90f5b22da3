"""site.yaml: a handful of typed keys; an unknown key is an error, not silently ignored.

Two keys hold a mapping of their own (``contact``, ``feedback``): the schema lists their parts
as the ``fields`` of their field, and each is validated like a table of one row, an unknown part
an error too.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from frictionless import Schema

from portal import files, limits
from portal.errors import ContentError, Problem
from portal.load import tables, yamlsafe
from portal.model.records import Contact, Feedback, SiteConfig, check_year
from portal.paths import SCHEMA_DIR

_ADDRESS = re.compile(r"https?://(?P<host>[^/:]+)(:(?P<port>[0-9]+))?/?")  # the shape site.schema.yaml allows
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")  # one part of a host name (RFC 1123)
_SCHEMA = SCHEMA_DIR / "site.schema.yaml"
_CHANNELS = ("hotline", "email", "url")  # what makes a feedback box: at least one of them


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
    schema = tables.load_schema(_SCHEMA)
    known = {f.name for f in schema.fields}
    problems = [
        Problem(shown_path, data.line_of(key), key, f"未知的设置项“{key}”（可用的有：{'、'.join(sorted(known))}）")
        for key in data
        if key not in known
    ]
    nested = {f.name for f in schema.fields if f.type == "object"}
    raw = tables.RawRow({k: v for k, v in data.items() if k in known - nested}, data.line, dict(data.lines))
    rows, more = tables.validate([raw], schema, shown_path)
    problems += more
    v = rows[0].values
    parts: dict[str, dict[str, str]] = {}
    for name in sorted(nested & set(data)):
        parts[name], more = _mapping(name, data[name], data.line_of(name), shown_path)
        problems += more
    flagged = {p.field for p in problems}
    problems += [Problem(shown_path, data.line_of(k), k, message) for k, message in _sense(v) if k not in flagged]
    if problems:
        raise ContentError(problems)
    feedback = parts.get("feedback")
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
        organizer=v.get("organizer") or "",
        operator=v.get("operator") or "",
        contact=Contact(**parts.get("contact", {})),
        site_code=v.get("site_code") or "",
        icp=v.get("icp") or "",
        police_record=v.get("police_record") or "",
        gov_badge=v.get("gov_badge") or "",
        report_errors=v.get("report_errors") or "",
        feedback=Feedback(**feedback) if feedback else None,
    )


@cache
def _parts_schema(name: str) -> Schema:
    """The schema of a key's own mapping: the ``fields`` its field in site.schema.yaml lists."""
    return Schema.from_descriptor({"fields": tables.load_schema(_SCHEMA).get_field(name).to_descriptor()["fields"]})


def _mapping(name: str, written: Any, line: int, shown: str) -> tuple[dict[str, str], list[Problem]]:
    """The parts set in a key's mapping (contact, feedback), and the problems of any part."""
    title = tables.load_schema(_SCHEMA).get_field(name).title
    if written in ("", None):
        return {}, []  # written without a value: as if not written
    schema = _parts_schema(name)
    known = [f.name for f in schema.fields]
    if not isinstance(written, yamlsafe.Mapping):
        return {}, [Problem(shown, line, name, f"{title}应写成“键: 值”的几行，可用的键有：{'、'.join(known)}")]
    problems = [
        Problem(
            shown,
            written.line_of(key),
            f"{name}.{key}",
            f"{title}中未知的设置项“{key}”（可用的有：{'、'.join(known)}）",
        )
        for key in written
        if key not in known
    ]
    raw = tables.RawRow({k: v for k, v in written.items() if k in known}, written.line, dict(written.lines))
    rows, more = tables.validate([raw], schema, shown)
    problems += [dataclasses.replace(p, field=f"{name}.{p.field}" if p.field else name) for p in more]
    values = {k: v for k, v in rows[0].values.items() if v is not None}
    if name == "feedback" and not problems and not any(k in values for k in _CHANNELS):
        message = "意见建议至少要写热线电话（hotline）、电子邮箱（email）或网上留言网址（url）中的一项：只有说明时，页面上没有可用的渠道"
        problems.append(Problem(shown, line, name, message))
    return values, problems


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
