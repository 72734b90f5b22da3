"""Each post's front matter validated as tables, and what every later check of a post is made against.

The fields of all posts go through frictionless together, a group of fields at a time (the
common ones, a monthly report's, an evaluation's votes), so every post meets the same rules and
messages; a field of another kind or no kind at all is said here too. What the fields mean
across records (projects, months, indicators) is checked after (updates.py, reports.py,
revisions.py) against a Context.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.errors import Problems
from portal.load import tables, yamlsafe
from portal.load.memo import Fresh
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


@dataclass(frozen=True)
class Fields:
    """The posts' fields as validated, by post path: every post's common ones, a report's own
    and an evaluation's votes."""

    common: dict[str, tables.Row]
    report: dict[str, tables.Row]
    votes: dict[str, tables.Row]


def validate(posts: list[Post], memo: Fresh, problems: Problems) -> Fields:
    """Every post's fields typed and checked by the schemas, every problem said."""
    schema = {group: tables.load_schema(SCHEMA_DIR / f"{name}.schema.yaml") for group, name in _SCHEMAS.items()}
    common = {f.name for f in schema["common"].fields}
    report = {f.name for f in schema["report"].fields}
    known = common | report | {"votes", "revisions", "attachments"}  # the last two are lists: checked on their own
    for post in posts:
        for key in post.meta:
            if key not in known:
                problems.add(post.rel, post.meta.line_of(key), key, f"未知的字段“{key}”")
    rows = memo.validate(posts, lambda p: _raw(p, common), schema["common"], problems)
    kinds = {p.rel: (rows[p.rel]["kind"] if p.rel in rows else None) for p in posts}
    for post in posts:
        _misplaced(post, kinds[post.rel], report, problems)
    reports = [p for p in posts if kinds[p.rel] == "report"]
    report_rows = memo.validate(reports, lambda p: _raw(p, report), schema["report"], problems)
    names = {f.name for f in schema["votes"].fields}
    evaluations = [p for p in posts if kinds[p.rel] == "evaluation" and _has_votes(p, names, problems)]
    vote_rows = memo.validate(evaluations, _votes_raw, schema["votes"], problems)
    return Fields(rows, report_rows, vote_rows)


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
