"""Each post's front matter validated as tables, and what every later check of a post is made against.

The fields of all posts go through frictionless together, a group of fields at a time (the
common ones, a monthly report's, an evaluation's votes), so every post meets the same rules and
messages; a field of another kind or no kind at all is said here too. What the fields mean
across records (projects, months, indicators) is checked after (updates.py, reports.py,
revisions.py) against a Context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from frictionless import Schema

from portal.errors import Problem, Problems
from portal.load import tables, yamlsafe
from portal.load.posts import Post
from portal.model.records import Project, check_year
from portal.paths import SCHEMA_DIR

_SCHEMAS = {"common": "updates", "report": "report", "votes": "evaluation"}


@dataclass(frozen=True)
class Context:
    """What the posts are checked against: the lists as read, and how the load was asked for."""

    projects: Mapping[str, Project]
    listed: frozenset[str]  # every id written in a list, its row valid or not
    indicators: frozenset[tuple[str, str]]  # (project id, indicator id)
    base_url: str
    drafts: bool  # whether drafts are kept among the records (they are checked either way)


STEPS = 6  # what validate says, step by step: unknown fields, the common ones, fields of another
# kind, a report's own, an evaluation without its votes, the votes


@dataclass(frozen=True)
class Fields:
    """One post's fields as validated: its common ones, a report's own and an evaluation's votes
    (None when it has none), and what each of validate's STEPS said of them."""

    common: tables.Row
    report: tables.Row | None
    votes: tables.Row | None
    said: tuple[tuple[Problem, ...], ...]


def validate(posts: list[Post]) -> dict[str, Fields]:
    """Every post's fields typed and checked by the schemas, by post path. The posts go through
    each step together; what a step says of a post is kept with the post, so that the load says
    it in the same order whether its posts were checked all at once or a few (memo.py)."""
    schema = {group: tables.load_schema(SCHEMA_DIR / f"{name}.schema.yaml") for group, name in _SCHEMAS.items()}
    common = {f.name for f in schema["common"].fields}
    report = {f.name for f in schema["report"].fields}
    known = common | report | {"votes", "revisions", "attachments"}  # the last two are lists: checked on their own
    steps = [Problems() for _ in range(STEPS)]
    for post in posts:
        for key in post.meta:
            if key not in known:
                steps[0].add(post.rel, post.meta.line_of(key), key, f"未知的字段“{key}”")
    rows = _rows(posts, lambda p: _raw(p, common), schema["common"], steps[1])
    kinds = {p.rel: rows[p.rel]["kind"] for p in posts}
    for post in posts:
        _misplaced(post, kinds[post.rel], report, steps[2])
    reports = [p for p in posts if kinds[p.rel] == "report"]
    report_rows = _rows(reports, lambda p: _raw(p, report), schema["report"], steps[3])
    names = {f.name for f in schema["votes"].fields}
    evaluations = [p for p in posts if kinds[p.rel] == "evaluation" and _has_votes(p, names, steps[4])]
    vote_rows = _rows(evaluations, _votes_raw, schema["votes"], steps[5])
    said = [_by_post(step) for step in steps]
    none: tuple[Problem, ...] = ()
    return {
        p.rel: Fields(
            rows[p.rel], report_rows.get(p.rel), vote_rows.get(p.rel), tuple(s.get(p.rel, none) for s in said)
        )
        for p in posts
    }


def _rows(many: list[Post], make_raw: Callable[[Post], tables.RawRow], schema: Schema, problems: Problems) -> dict:
    """One frictionless pass over many posts' fields, each row located at its post. The post
    schemas have no rule across rows (no unique field, no key): a row's result is its own."""
    assert not schema.primary_key and not any(f.constraints.get("unique") for f in schema.fields), "a rule across posts"
    if not many:
        return {}  # frictionless costs milliseconds a pass, rows or none: a saved post is most often no report
    located = []
    for post in many:
        raw = make_raw(post)
        located.append(tables.RawRow(raw.cells, raw.line, raw.lines, post.rel))
    typed, found = tables.validate(located, schema, "")
    problems.extend(found)
    return {post.rel: row for post, row in zip(many, typed, strict=True)}


def _by_post(step: Problems) -> dict[str, tuple[Problem, ...]]:
    """What a step said, by the post it is about (each problem is located at its post)."""
    found: dict[str, list[Problem]] = {}
    for problem in step.items:
        found.setdefault(problem.path, []).append(problem)
    return {rel: tuple(items) for rel, items in found.items()}


def rules() -> tuple:
    """What the post schemas require, to tell whether posts were checked by the same rules."""
    schema = {group: tables.load_schema(SCHEMA_DIR / f"{name}.schema.yaml") for group, name in _SCHEMAS.items()}
    return tuple((g, tuple((f.name, f.type, repr(f.constraints)) for f in s.fields)) for g, s in schema.items())


def in_years(post: Post, key: str, title: str, day: Any, problems: Problems) -> bool:
    """Whether a date of the post lies in the years content may speak of (model.records.YEARS)."""
    try:
        check_year(day.year)
    except ValueError as exc:
        problems.add(post.rel, post.meta.line_of(key), key, f"{title}“{day}”不对：{exc}")
        return False
    return True


def _raw(post: Post, names: set[str]) -> tables.RawRow:
    cells = {k: v for k, v in post.meta.items() if k in names}
    return tables.RawRow(cells, post.meta.line, dict(post.meta.lines))


def _votes_raw(post: Post) -> tables.RawRow:
    votes = post.meta["votes"]
    return tables.RawRow(dict(votes), votes.line, dict(votes.lines))


def _misplaced(post: Post, kind: str | None, report: set[str], problems: Problems) -> None:
    """Say each field of a kind the post is not (none is said while its kind is unknown)."""
    for key in sorted(report & set(post.meta)):
        if kind not in (None, "report"):
            problems.add(post.rel, post.meta.line_of(key), key, f"“{key}”只用于 kind: report")
    if "votes" in post.meta and kind not in (None, "evaluation"):
        problems.add(post.rel, post.meta.line_of("votes"), "votes", "“votes”只用于 kind: evaluation")


def _has_votes(post: Post, names: set[str], problems: Problems) -> bool:
    """Whether an evaluation has a votes mapping (its unknown counts said)."""
    votes = post.meta.get("votes")
    if not isinstance(votes, yamlsafe.Mapping):
        problems.add(
            post.rel,
            post.meta.line_of("votes"),
            "votes",
            "满意度测评须有 votes（satisfied、basically_satisfied、dissatisfied，可选 abstained）",
        )
        return False
    for key in votes:
        if key not in names:
            problems.add(post.rel, votes.line_of(key), f"votes.{key}", f"未知的票数项“{key}”")
    return True
