"""Load: content/ → validated, typed records, or every problem found, each located.

First the tables (frictionless against schema/), then the posts (front matter through one
frictionless table per kind of field), then the checks across records: ids and references,
indicator values, one report a project a month, names that become URLs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from portal import cores, files, limits, paths
from portal.errors import ContentError, Problem, Problems
from portal.load import chars, images, markup, tablefiles, tables, yamlsafe
from portal.load.config import load_config
from portal.model.records import (
    STATUSES,
    Before,
    Content,
    Indicator,
    Month,
    Project,
    Revision,
    Source,
    Update,
    Votes,
    check_year,
    parse_number,
)
from portal.paths import SCHEMA_DIR

_PROJECT_FILE = re.compile(r"^(\d{4})(-indicators)?\.(csv|yaml)$")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


class Memo:
    """What the preview keeps between rebuilds, so a saved post costs only that post.

    The site settings and project tables as read (the preview starts a new Memo whenever a file
    other than a post changes); for each post file, what its name makes of it, the file as read
    (kept while its size, times and inode stay), its fields as validated and its record as made
    (kept while they come from the very same objects). A load with a Memo finds exactly what one
    without finds: the same records and the same problems (tests/test_incremental.py). Posts
    that are gone are forgotten at each load.
    """

    def __init__(self) -> None:
        self.tables: tuple[Any, ...] | None = None
        self.posts: dict[str, tuple[tuple[int, ...], _Post | None, list[Problem]]] = {}
        self.rows: dict[tuple[int, str], tuple[_Post, tables.Row, list[Problem]]] = {}
        self.updates: dict[str, tuple[tuple, Update | None, tuple[str, Month] | None, list[Problem]]] = {}
        self.places: dict[str, str | tuple[str, str]] = {}  # a path under updates/ → its _place

    def keep(self, rels: set[str]) -> None:
        """Forget the posts not among these (removed or renamed since)."""
        for store in (self.posts, self.updates):
            for rel in store.keys() - rels:
                del store[rel]
        for key in [key for key in self.rows if key[1] not in rels]:
            del self.rows[key]


def load(
    content: Path, shown: str | None = None, drafts: bool = False, memo: Memo | None = None, jobs: int = 1
) -> Content:
    """Read and check everything; ``jobs`` processes render the posts' Markdown."""
    shown = shown if shown is not None else str(content)
    problems = Problems()
    if memo is not None and memo.tables is not None:
        config, projects, indicators, listed, found = memo.tables
        problems.extend(found)
    else:
        try:
            config = load_config(content, shown)
        except ContentError as exc:
            problems.extend(exc.problems)
            config = None
        projects, indicators, listed = _load_projects(content, shown, problems)
        if memo is not None:
            memo.tables = (config, projects, indicators, listed, list(problems.items))
    base_url = config.base_url if config else "/"
    try:
        updates = _load_updates(content, shown, projects, listed, indicators, problems, drafts, base_url, memo, jobs)
    finally:
        markup.forget_prepared()
    problems.raise_if_any()
    assert config is not None
    return Content(config, tuple(projects.values()), tuple(indicators), tuple(updates))


# ---------------------------------------------------------------- projects and indicators


def _load_projects(
    content: Path, shown: str, problems: Problems
) -> tuple[dict[str, Project], list[Indicator], set[str]]:
    """The valid projects and indicators, and every id written in a list (its row valid or not)."""
    folder = content / "projects"
    if not folder.is_dir():
        problems.add(f"{shown}/projects", None, None, "找不到项目清单文件夹 projects/")
        return {}, [], set()
    lists: dict[int, Path] = {}
    indicator_files: dict[int, Path] = {}
    inside = _Inside(content)
    for path in sorted(folder.iterdir()):
        rel = f"{shown}/projects/{path.name}"
        if path.name.startswith("."):
            continue
        match = _PROJECT_FILE.match(path.name)
        refused = files.problem(path) if match else None
        if refused:
            problems.add(rel, None, None, refused)
            continue
        if not match or not inside(path):
            problems.add(rel, None, None, "未知的文件：项目清单应命名为 <年份>.csv，指标为 <年份>-indicators.csv")
            continue
        year = int(match.group(1))
        target = indicator_files if match.group(2) else lists
        if year in target:
            problems.add(rel, None, None, f"与 {target[year].name} 重复：同一年份只能有一个（.csv 或 .yaml）")
            continue
        target[year] = path
    projects: dict[str, Project] = {}
    listed: set[str] = set()  # every id written in a list, its row valid or not
    for year, path in sorted(lists.items()):
        _read_projects(year, path, f"{shown}/projects/{path.name}", projects, listed, problems)
    indicators: list[Indicator] = []
    for year, path in sorted(indicator_files.items()):
        _read_indicators(year, path, f"{shown}/projects/{path.name}", projects, listed, indicators, problems)
    return projects, indicators, listed


def _read_projects(
    year: int, path: Path, rel: str, projects: dict[str, Project], listed: set[str], problems: Problems
) -> None:
    rows, found = tablefiles.read_table(path, rel, tables.load_schema(SCHEMA_DIR / "projects.schema.yaml"))
    problems.extend(found)
    seqs: dict[int, int] = {}
    for row in rows:
        seq, pid = row["seq"], row["id"]
        listed.add(pid)
        if seq is not None:
            if seq in seqs:
                problems.add(rel, row.line_of("seq"), "seq", f"序号 {seq} 重复：第 {seqs[seq]} 行已有")
            seqs.setdefault(seq, row.line)
            expected = f"{year}-{seq:02d}"
            if pid is not None and pid != expected:
                problems.add(rel, row.line_of("id"), "id", f"编号“{pid}”应为“{expected}”（文件年份-序号）")
        # Each of these names a page: units/<单位>/, leaders/<姓名>/, projects/category/<领域>/.
        for name, items in (("leaders", row["leaders"]), ("units", row["units"]), ("category", [row["category"]])):
            for item in filter(None, items or ()):
                reason = paths.segment_problem(item)
                if reason:
                    problems.add(rel, row.line_of(name), name, f"“{item}”不能用作网址：{reason}")
        if None in (pid, seq, row["name"], row["target"], row["leaders"], row["units"], row["level"]):
            continue
        if pid in projects:
            other = projects[pid].source
            if other.path != rel:  # within one file the schema's primaryKey has said it
                problems.add(rel, row.line_of("id"), "id", f"编号“{pid}”重复：{other.path}:{other.line} 已有")
            continue
        projects[pid] = Project(
            id=pid,
            year=year,
            seq=seq,
            name=row["name"],
            target=row["target"],
            leaders=tuple(row["leaders"]),
            units=tuple(row["units"]),
            level=row["level"],
            voted=bool(row["voted"]),
            category=row["category"] or "",
            source=Source(rel, row.line),
        )


def _read_indicators(
    year: int,
    path: Path,
    rel: str,
    projects: dict[str, Project],
    listed: set[str],
    indicators: list[Indicator],
    problems: Problems,
) -> None:
    rows, found = tablefiles.read_table(path, rel, tables.load_schema(SCHEMA_DIR / "indicators.schema.yaml"))
    problems.extend(found)
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        project, iid = row["project"], row["id"]
        if project is not None and project not in projects:
            if project not in listed:  # a listed project's own row has been reported already
                problems.add(rel, row.line_of("project"), "project", f"项目编号“{project}”不在 {year} 年的项目清单中")
            continue
        if project is not None and projects[project].year != year:
            problems.add(rel, row.line_of("project"), "project", f"项目“{project}”不属于 {year} 年")
            continue
        if (project, iid) in seen:
            problems.add(
                rel, row.line_of("id"), "id", f"指标编号“{iid}”在项目 {project} 中重复：第 {seen[project, iid]} 行已有"
            )
            continue
        if None in (project, iid, row["name"], row["target"], row["unit"], row["measure"]):
            continue
        seen[project, iid] = row.line
        indicators.append(
            Indicator(
                project=project,
                id=iid,
                name=row["name"],
                target=row["target"],
                unit=row["unit"],
                measure=row["measure"],
                direction=row["direction"] or "at_least",
                source=Source(rel, row.line),
            )
        )


# ---------------------------------------------------------------- posts


@dataclass(frozen=True)
class _Post:
    rel: str
    slug: str
    meta: yamlsafe.Mapping
    body: str
    body_line: int  # the line of the file its body starts on
    images: images.Found


def _load_updates(
    content: Path,
    shown: str,
    projects: dict[str, Project],
    listed: set[str],
    indicators: list[Indicator],
    problems: Problems,
    drafts: bool,
    base_url: str,
    memo: Memo | None = None,
    jobs: int = 1,
) -> list[Update]:
    folder = content / "updates"
    if not folder.is_dir():
        if os.path.lexists(folder):  # a file, a pipe or a broken link where the posts should be
            problems.add(
                f"{shown}/updates", None, None, "不是文件夹：文章应放在 updates 文件夹中，请删除它后新建文件夹"
            )
        return []
    posts: list[_Post] = []
    found: list[tuple[str, str, str]] = []  # (path, rel, slug) of each post to read
    slugs: dict[str, str] = {}
    inside = _Inside(content)
    plain_inside = inside(folder / "x")  # a file that is no link, in a folder that is none
    places = memo.places if memo is not None else {}
    for relative, entry in _walk(folder):
        rel = f"{shown}/updates/{relative}"
        try:
            if not _is_file(entry):
                continue
        except files.Refused as exc:
            problems.add(rel, None, None, exc.message)
            continue
        link = entry.is_symlink()
        if (link or not plain_inside) and not inside(Path(entry.path)):
            problems.add(rel, None, None, "链接指向 content 文件夹以外，不予读取")
            continue
        place = places.get(relative)
        if place is None:
            place = places[relative] = _place(relative)
        if isinstance(place, str):  # a problem, or "" for a picture
            if place:
                problems.add(rel, None, None, place)
            continue
        slug, key = place
        if key in slugs:
            problems.add(rel, None, None, f"与 {slugs[key]} 会生成同一个网页（文件名只差大小写或写法）")
            continue
        slugs[key] = rel
        found.append((entry.path, rel, slug))
    if memo is not None:
        memo.keep(set(slugs.values()))
    check = partial(_check_posts, projects=projects, listed=listed, indicators=indicators, problems=problems)
    if memo is None and jobs > 1 and len(found) >= markup.PARALLEL_FROM and cores.can_fork():
        # A whole build: the posts are read, and their Markdown rendered, across the cores.
        with cores.pool(jobs) as workers:
            chunk = max(1, len(found) // (4 * jobs))
            for post, post_problems in workers.imap(partial(_read_found, content=content), found, chunksize=chunk):
                problems.extend(post_problems)
                if post is not None:
                    posts.append(post)
            return check(posts, drafts=drafts, base_url=base_url, jobs=jobs, workers=workers)
    for path, rel, slug in found:
        post = _read_post_once(path, rel, slug, content, problems, memo)
        if post is not None:
            posts.append(post)
    return check(posts, drafts=drafts, base_url=base_url, memo=memo, jobs=jobs)


def _read_found(found: tuple[str, str, str], content: Path) -> tuple[_Post | None, list[Problem]]:
    """_read_post in a worker: the post and what is wrong with it."""
    path, rel, slug = found
    problems = Problems()
    return _read_post(Path(path), rel, slug, content, problems), problems.items


def _walk(folder: Path, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """Every entry under folder, as sorted(folder.rglob("*")) gives them (folders first, into no
    linked folder), hidden ones and their contents left out; with the path under folder."""
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        if entry.name.startswith("."):
            continue
        yield prefix + entry.name, entry
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), f"{prefix}{entry.name}/")


def _is_file(entry: os.DirEntry) -> bool:
    """Whether the walk reads this entry: a regular file or a link to one, not a folder or a link
    to one (never followed); anything else (a pipe, a device, a broken link) is refused."""
    if entry.is_file(follow_symlinks=False):
        return True
    if entry.is_dir(follow_symlinks=False):
        return False
    mode = files.status(entry.path).st_mode  # a link, or no regular file
    if stat.S_ISDIR(mode):
        return False
    problem = files.kind_problem(mode)
    if problem:
        raise files.Refused(problem)
    return True


def _place(relative: str) -> str | tuple[str, str]:
    """A file's page under updates/: (slug, the key two slugs collide by), or why it has none."""
    suffix = Path(relative).suffix
    if suffix.lower() in IMAGE_SUFFIXES:
        return ""
    if suffix != ".md":
        return "未知的文件：文章须为 .md 文件"
    slug = relative[: -len(suffix)]
    bad = [paths.segment_problem(part) for part in slug.split("/")]
    if any(bad):
        return "文件名不能用作网址：" + next(r for r in bad if r)
    return slug, paths.key(slug)


def _read_post_once(
    path: str, rel: str, slug: str, content: Path, problems: Problems, memo: Memo | None
) -> _Post | None:
    """_read_post, or what it gave for this file unchanged since (size, time, inode)."""
    if memo is None:
        return _read_post(Path(path), rel, slug, content, problems)
    try:
        status = os.stat(path)
    except OSError:  # gone since the walk: _read_post says what it finds
        return _read_post(Path(path), rel, slug, content, problems)
    key = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    known = memo.posts.get(rel)
    if known is None or known[0] != key:
        found = Problems()
        known = (key, _read_post(Path(path), rel, slug, content, found), found.items)
        memo.posts[rel] = known
    problems.extend(known[2])
    return known[1]


def _read_post(path: Path, rel: str, slug: str, content: Path, problems: Problems) -> _Post | None:
    try:
        text = tables.decode(files.read(path, limits.MAX_POST_BYTES, "请把文章拆成几篇"), rel)
    except files.Refused as exc:
        problems.add(rel, None, None, exc.message)
        return None
    except yamlsafe.YamlError as exc:
        problems.extend(exc.problems)
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(rel, 1, None, "文章应以 --- 开头的前置信息（front matter）开始")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.add(rel, 1, None, "前置信息没有结束：缺少第二个 --- 行")
        return None
    try:
        meta = yamlsafe.load("\n".join(lines[1:end]), rel, first_line=2)
    except yamlsafe.YamlError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(meta, yamlsafe.Mapping):
        problems.add(rel, 2, None, "前置信息应为“键: 值”的映射")
        return None
    body = "\n".join(lines[end + 1 :])
    problems.extend(chars.problems(body, rel, first_line=end + 2))
    refusal = markup.refusal(body)
    if refusal is not None:  # the body is not rendered; its fields are still checked
        problems.add(rel, end + 2 + refusal[0], None, refusal[1])
        return _Post(rel, slug, meta, "", end + 2, images.Found((), (), frozenset(), frozenset()))
    found = images.find(body, path, content, first_line=end + 2)
    for line, message in found.problems:
        problems.add(rel, line, None, message)
    published: dict[str, images.Photo] = {}  # the same photo used twice is published once
    for photo in found.photos:
        other = published.setdefault(paths.key(photo.stem + photo.suffix), photo)
        if other.source != photo.source:
            name = photo.stem + photo.suffix
            problems.add(
                rel, None, None, f"图片“{photo.src}”和“{other.src}”会发布为同一个文件名 {name}：请给其中一个改名"
            )
    return _Post(rel, slug, meta, body, end + 2, found)


def _check_posts(
    posts: list[_Post],
    projects: dict[str, Project],
    listed: set[str],
    indicators: list[Indicator],
    problems: Problems,
    drafts: bool,
    base_url: str,
    memo: Memo | None = None,
    jobs: int = 1,
    workers: Pool | None = None,
) -> list[Update]:
    """Validate the posts and make their records. Their Markdown is rendered meanwhile, by
    ``workers`` if given, else across ``jobs`` processes of its own (markup.prepare)."""
    texts = [p.body for p in posts if memo is None or p.rel not in memo.updates]
    rendering = markup.prepare_async(workers, jobs, texts) if workers is not None else None
    common = tables.load_schema(SCHEMA_DIR / "updates.schema.yaml")
    report = tables.load_schema(SCHEMA_DIR / "report.schema.yaml")
    evaluation = tables.load_schema(SCHEMA_DIR / "evaluation.schema.yaml")
    common_names = {f.name for f in common.fields}
    report_names = {f.name for f in report.fields}
    known = common_names | report_names | {"votes", "revisions"}

    def raw(post: _Post, names: set[str]) -> tables.RawRow:
        cells = {k: v for k, v in post.meta.items() if k in names}
        return tables.RawRow(cells, post.meta.line, dict(post.meta.lines))

    # Validate each group of fields as one table: the same rules and messages for every post.
    for post in posts:
        for key in post.meta:
            if key not in known:
                problems.add(post.rel, post.meta.line_of(key), key, f"未知的字段“{key}”")
    rows = _validate_by_post(posts, lambda p: raw(p, common_names), common, problems, memo)
    kinds = {p.rel: (rows[p.rel]["kind"] if p.rel in rows else None) for p in posts}
    for post in posts:
        for key in sorted(report_names & set(post.meta)):
            if kinds[post.rel] not in (None, "report"):
                problems.add(post.rel, post.meta.line_of(key), key, f"“{key}”只用于 kind: report")
        if "votes" in post.meta and kinds[post.rel] not in (None, "evaluation"):
            problems.add(post.rel, post.meta.line_of("votes"), "votes", "“votes”只用于 kind: evaluation")
    reports = [p for p in posts if kinds[p.rel] == "report"]
    report_rows = _validate_by_post(reports, lambda p: raw(p, report_names), report, problems, memo)
    evaluations = []  # those with a votes mapping
    for post in (p for p in posts if kinds[p.rel] == "evaluation"):
        votes = post.meta.get("votes")
        if not isinstance(votes, yamlsafe.Mapping):
            problems.add(
                post.rel,
                post.meta.line_of("votes"),
                "votes",
                "满意度测评须有 votes（satisfied、basically_satisfied、dissatisfied，可选 abstained）",
            )
            continue
        for key in votes:
            if key not in {f.name for f in evaluation.fields}:
                problems.add(post.rel, votes.line_of(key), f"votes.{key}", f"未知的票数项“{key}”")
        evaluations.append(post)

    def vote_raw(post: _Post) -> tables.RawRow:
        votes = post.meta["votes"]
        return tables.RawRow(dict(votes), votes.line, dict(votes.lines))

    vote_rows = _validate_by_post(evaluations, vote_raw, evaluation, problems, memo)

    by_indicator = {(i.project, i.id) for i in indicators}
    updates: list[Update] = []
    periods: dict[tuple[str, Month], str] = {}
    if rendering is not None:
        rendering.finish()
    else:
        markup.prepare(texts, jobs)
    for post in posts:
        row = rows.get(post.rel)
        if row is None or row["title"] is None or row["date"] is None or row["kind"] is None:
            continue
        inputs = (post, row, report_rows.get(post.rel), vote_rows.get(post.rel))
        known = memo.updates.get(post.rel) if memo is not None else None
        if known is None or any(a is not b for a, b in zip(known[0], inputs, strict=True)):
            found = Problems()
            known = (inputs, *_make_update(*inputs, projects, listed, by_indicator, found), found.items)
            if memo is not None:
                memo.updates[post.rel] = known
        _, update, claim, found_items = known
        problems.extend(found_items)
        if claim is not None:  # one report a project a month
            other = periods.get(claim)
            if other:
                line = post.meta.line_of("period")
                problems.add(post.rel, line, "period", f"项目 {claim[0]} 的 {claim[1]} 月度推进情况重复：{other} 已有")
                update = None
            periods[claim] = post.rel
        if update is not None and "<img" in update.body_html:
            html, strays = images.responsive(update.body_html, post.images.photos, f"{base_url}updates/{post.slug}/")
            update = dataclasses.replace(update, body_html=html)
            for src in strays:
                if unquote(src) not in post.images.refused and src not in post.images.html:  # said, or HTML
                    problems.add(post.rel, _line_of(post, src), None, f"图片“{src}”无法发布：{images.HOW}")
        if update is not None and (drafts or not row["draft"]):
            updates.append(update)
    return updates


def _line_of(post: _Post, text: str) -> int:
    """The body line where ``text`` is first written, else the body's first line."""
    at = post.body.find(text)
    return post.body_line + (post.body.count("\n", 0, at) if at >= 0 else 0)


def _validate_by_post(
    posts: list[_Post],
    make_raw: Callable[[_Post], tables.RawRow],
    schema: Any,
    problems: Problems,
    memo: Memo | None = None,
) -> dict[str, tables.Row]:
    """One frictionless pass over many posts' fields; problems carry each post's own path.

    With a memo only the posts not validated before (as this very _Post) go through
    frictionless: the post schemas have no rule across rows (no unique field, no key), so a
    row's result is its own."""

    def located(post: _Post) -> tables.RawRow:
        r = make_raw(post)
        return tables.RawRow(r.cells, r.line, r.lines, post.rel)

    if memo is None or schema.primary_key or any(f.constraints.get("unique") for f in schema.fields):
        typed, found = tables.validate([located(p) for p in posts], schema, "")
        problems.extend(found)
        return {post.rel: row for post, row in zip(posts, typed, strict=True)}
    todo = [p for p in posts if memo.rows.get((id(schema), p.rel), (None,))[0] is not p]
    if todo:
        typed, found = tables.validate([located(p) for p in todo], schema, "")
        by_post: dict[str, list[Problem]] = {}
        for problem in found:
            by_post.setdefault(problem.path, []).append(problem)
        for post, row in zip(todo, typed, strict=True):
            memo.rows[id(schema), post.rel] = (post, row, by_post.get(post.rel, []))
    rows = {}
    for post in posts:
        _, row, found = memo.rows[id(schema), post.rel]
        problems.extend(found)
        rows[post.rel] = row
    return rows


def _make_update(
    post: _Post,
    row: tables.Row,
    report: tables.Row | None,
    votes: tables.Row | None,
    projects: dict[str, Project],
    listed: set[str],
    indicators: set[tuple[str, str]],
    problems: Problems,
) -> tuple[Update | None, tuple[str, Month] | None]:
    """The post as a record (None if it has a problem), and the project and month it reports on."""
    meta, rel = post.meta, post.rel
    ok = _in_years(post, "date", "发布日期", row["date"], problems)
    linked: list[str] = []
    for item in row["projects"] or []:
        if not isinstance(item, str) or item not in projects:
            if not isinstance(item, str) or item not in listed:  # a listed project's own row has been reported already
                problems.add(rel, meta.line_of("projects"), "projects", f"关联项目“{item}”不存在")
            ok = False
        elif item in linked:
            problems.add(rel, meta.line_of("projects"), "projects", f"关联项目“{item}”重复")
        else:
            linked.append(item)
    extra: dict[str, Any] = {}
    if row["kind"] == "report" and report is not None:
        ok &= _check_report(post, row, report, linked, projects, indicators, problems, extra)
    if row["kind"] == "evaluation" and votes is not None:
        ok &= _check_votes(post, linked, projects, votes, problems, extra)
    claim = extra.pop("claim", None)
    report_project = linked[0] if row["kind"] == "report" and len(linked) == 1 else None
    revisions = _check_revisions(post, row["kind"], report_project, indicators, problems)
    if not ok or revisions is None:
        return None, claim
    body_html = markup.render(post.body)
    update = Update(
        slug=post.slug,
        title=row["title"],
        date=row["date"],
        kind=row["kind"],
        projects=tuple(linked),
        source_unit=row["source"] or "",
        body_html=body_html,
        summary=row["summary"] or markup.summary(body_html),
        source=Source(rel, 1),
        document_number=row["document_number"] or "",
        draft=bool(row["draft"]),
        photos=post.images.photos,
        revisions=revisions,
        body=post.body if any(r.before.body is not None for r in revisions) else "",
        **extra,
    )
    return update, claim


def _check_report(post, row, report, linked, projects, indicators, problems, extra) -> bool:
    meta, rel = post.meta, post.rel
    if len(linked) != 1:
        problems.add(rel, meta.line_of("projects"), "projects", "月度推进情况须关联且只关联一个项目")
        return False
    if report["period"] is None or report["submitted"] is None:
        return False
    project = projects[linked[0]]
    try:
        period = Month.parse(report["period"])
    except ValueError:
        return False  # the schema's pattern, the same rule, has said what is wrong
    ok = _in_years(post, "submitted", "报送日期", report["submitted"], problems)
    if period.year != project.year:
        problems.add(
            rel,
            meta.line_of("period"),
            "period",
            f"截至月份 {period} 不在项目 {project.id} 的年度（{project.year} 年）内",
        )
        ok = False
    if report["submitted"] < period.first_day():
        problems.add(
            rel, meta.line_of("submitted"), "submitted", f"报送日期 {report['submitted']} 早于所报月份 {period}"
        )
        ok = False
    extra["claim"] = (project.id, period)  # one report a project a month: checked by _check_posts
    values: dict[str, Decimal] = {}
    raw_values = meta.get("values")
    if isinstance(raw_values, yamlsafe.Mapping):
        for key, text in raw_values.items():
            line = raw_values.line_of(key)
            if (project.id, key) not in indicators:
                problems.add(rel, line, f"values.{key}", f"项目 {project.id} 没有指标“{key}”")
                ok = False
                continue
            try:
                values[key] = parse_number(text)
            except ValueError as exc:
                problems.add(rel, line, f"values.{key}", f"指标完成值“{text}”{exc}")
                ok = False
    elif raw_values not in (None, ""):
        problems.add(rel, meta.line_of("values"), "values", "指标完成值应为“指标编号: 数值”的映射")
        ok = False
    extra.update(
        period=period,
        submitted=report["submitted"],
        status=report["status"],
        values=values,
        reviewed_by=report["reviewed_by"] or "",
    )
    return ok


_REVISION_KEYS = ("date", "reason", "before")
_BEFORE_KEYS = ("status", "values", "title", "body")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_revisions(
    post: _Post, kind: str, project: str | None, indicators: set[tuple[str, str]], problems: Problems
) -> tuple[Revision, ...] | None:
    """The post's corrections, oldest first, or None when any is written wrong (each problem
    located at its line and field, e.g. ``revisions[2].before.values.lifts``: the second one)."""
    meta, rel = post.meta, post.rel
    written = meta.get("revisions")
    if written in (None, ""):
        return ()
    if not isinstance(written, list):
        problems.add(rel, meta.line_of("revisions"), "revisions", "更正记录应为列表，每条以“- date: 更正日期”开始")
        return None
    found = Problems()
    revisions: list[Revision] = []
    previous: dt.date | None = None
    for number, item in enumerate(written, start=1):
        name = f"revisions[{number}]"
        if not isinstance(item, yamlsafe.Mapping):
            found.add(
                rel, meta.line_of("revisions"), name, f"第 {number} 条更正记录应为“键: 值”的映射，如 - date: 2020-07-02"
            )
            continue
        for key in item:
            if key not in _REVISION_KEYS:
                found.add(
                    rel, item.line_of(key), f"{name}.{key}", f"未知的字段“{key}”：更正记录只有 date、reason、before"
                )
        date = _revision_date(item, name, rel, found)
        if date is not None and previous is not None and date < previous:
            found.add(
                rel,
                item.line_of("date"),
                f"{name}.date",
                f"更正日期 {date} 早于上一条更正（{previous}）：更正记录须按日期从早到晚排列",
            )
        previous = date or previous
        reason = item.get("reason") or ""
        if not isinstance(reason, str):
            found.add(rel, item.line_of("reason"), f"{name}.reason", "更正原因应为一段文字")
        before = _check_before(item, name, kind, project, indicators, rel, found)
        if date is not None and isinstance(reason, str) and before is not None:
            revisions.append(Revision(date, reason.strip(tables.BLANK), before))
    problems.extend(found.items)
    return None if found else tuple(revisions)


def _revision_date(item: yamlsafe.Mapping, name: str, rel: str, problems: Problems) -> dt.date | None:
    text = item.get("date")
    if text in (None, ""):
        problems.add(rel, item.line_of("date"), f"{name}.date", "更正日期不能为空：写明更正的日期，如 2020-07-02")
        return None
    if isinstance(text, str) and _DATE.fullmatch(text.strip(tables.BLANK)):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text.strip(tables.BLANK))
    shown = text if isinstance(text, str) else "…"
    problems.add(
        rel, item.line_of("date"), f"{name}.date", f"更正日期“{shown}”不是有效日期：格式为 YYYY-MM-DD，如 2020-07-02"
    )
    return None


def _check_before(
    item: yamlsafe.Mapping,
    name: str,
    kind: str,
    project: str | None,
    indicators: set[tuple[str, str]],
    rel: str,
    problems: Problems,
) -> Before | None:
    """What the post said before this correction, or None when it is written wrong."""
    before = item.get("before")
    if before in (None, ""):
        return Before()
    name = f"{name}.before"
    if not isinstance(before, yamlsafe.Mapping):
        problems.add(
            rel,
            item.line_of("before"),
            name,
            "before 应为“字段: 更正前的内容”的映射（可记 status、values、title、body）",
        )
        return None
    ok = True
    fields: dict[str, Any] = {}
    for key, text in before.items():
        line, field = before.line_of(key), f"{name}.{key}"
        if key not in _BEFORE_KEYS:
            problems.add(rel, line, field, f"未知的字段“{key}”：before 只能记录 status、values、title、body")
        elif key in ("status", "values") and kind != "report":
            problems.add(rel, line, field, f"“{key}”只用于 kind: report 的更正记录")
        elif key == "values":
            fields[key] = _before_values(text, project, indicators, rel, line, field, problems)
            ok &= fields[key] is not None
            continue
        elif not isinstance(text, str):
            problems.add(rel, line, field, "应为一段文字")
        elif key == "status" and text.strip(tables.BLANK) not in STATUSES:
            problems.add(rel, line, field, f"自评状态“{text}”不是可选的值（{'、'.join(STATUSES)}）")
        elif key == "title" and not text.strip(tables.BLANK):
            problems.add(rel, line, field, "更正前的标题不能为空：没有改标题就删去这一行")
        else:
            fields[key] = text if key == "body" else text.strip(tables.BLANK)
            continue
        ok = False
    return Before(**fields) if ok else None


def _before_values(
    written: Any,
    project: str | None,
    indicators: set[tuple[str, str]],
    rel: str,
    line: int,
    field: str,
    problems: Problems,
) -> dict[str, Decimal] | None:
    if not isinstance(written, yamlsafe.Mapping):
        problems.add(rel, line, field, "指标完成值应为“指标编号: 数值”的映射")
        return None
    values: dict[str, Decimal] = {}
    ok = True
    for key, text in written.items():
        where = (rel, written.line_of(key), f"{field}.{key}")
        if project is not None and (project, key) not in indicators:
            problems.add(*where, f"项目 {project} 没有指标“{key}”")
            ok = False
            continue
        try:
            values[key] = parse_number(text)
        except ValueError as exc:
            problems.add(*where, f"指标完成值“{text}”{exc}")
            ok = False
    return values if ok else None


def _check_votes(post, linked, projects, votes, problems, extra) -> bool:
    meta, rel = post.meta, post.rel
    if len(linked) != 1:
        problems.add(rel, meta.line_of("projects"), "projects", "满意度测评须关联且只关联一个项目")
        return False
    if not projects[linked[0]].voted:
        problems.add(
            rel,
            meta.line_of("projects"),
            "projects",
            f"项目 {linked[0]} 不是人大票决项目（voted 不为 true），不能有满意度测评",
        )
        return False
    counts = [votes[k] for k in ("satisfied", "basically_satisfied", "dissatisfied")]
    abstained = votes["abstained"] or 0
    if None in counts or min(*counts, abstained) < 0:
        return False  # the schema has said what is wrong
    result = Votes(*counts, abstained)
    if votes["total"] is not None and votes["total"] != result.total:
        problems.add(
            rel, meta.line_of("votes"), "votes.total", f"总票数 {votes['total']} 与各项之和 {result.total} 不符"
        )
        return False
    if result.total == 0:
        problems.add(rel, meta.line_of("votes"), "votes", "票数全为 0：没有可测评的结果")
        return False
    extra.update(votes=result)
    return True


def _in_years(post: _Post, key: str, title: str, day: Any, problems: Problems) -> bool:
    """Whether a date of the post lies in the years content may speak of (model.records.YEARS)."""
    try:
        check_year(day.year)
    except ValueError as exc:
        problems.add(post.rel, post.meta.line_of(key), key, f"{title}“{day}”不对：{exc}")
        return False
    return True


class _Inside:
    """Whether a path, links followed, stays inside root: each folder resolved once, a file
    only when it is a link itself."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.folders: dict[Path, Path] = {}

    def __call__(self, path: Path) -> bool:
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = path.parent.resolve()
        real = path.resolve() if path.is_symlink() else folder / path.name
        return real.is_relative_to(self.root)
