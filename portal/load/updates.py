"""The posts made records (model.records.Update), once their fields are valid.

Each post's projects, its kind's own fields (reports.py) and its corrections (revisions.py) are
checked against the lists; then its Markdown is rendered and its photos made responsive. Across
posts: one report a project a month, and no attachment where another post's page is. Drafts are
checked like any post, kept only when asked.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import unquote

from portal import paths
from portal.errors import Problem, Problems
from portal.load import images, markup, tables
from portal.load.checks import STEPS, Context, Fields, in_years
from portal.load.posts import Post
from portal.load.reports import Claim, Report, check_report, check_votes
from portal.load.revisions import check_revisions
from portal.model.records import Revision, Source, Update, Votes

MADE, PHOTOS = STEPS, STEPS + 1  # after validate's steps: what making the record said, then its photos


@dataclass(frozen=True)
class Checked:
    """One post checked on its own: what each step said of it (checks.STEPS, then MADE and
    PHOTOS), its record (None if it has a problem) and what it claims. All a load needs of the
    post again while the post stays the same (memo.py); what holds across posts is gather's."""

    post: Post
    key: str  # the page it makes, as two pages collide (paths.key)
    said: tuple[tuple[Problem, ...], ...]
    update: Update | None
    claim: Claim | None  # the project and month a report reports on
    draft: bool
    troubled: bool  # whether anything is said of it


def check(posts: list[Post], fields: dict[str, Fields], context: Context) -> list[Checked]:
    """Each post checked on its own: its record made when its fields are valid."""
    checked = []
    for post in posts:
        f = fields[post.rel]
        row, made, photos = f.common, Problems(), Problems()
        update, claim = None, None
        if row["title"] is not None and row["date"] is not None and row["kind"] is not None:
            update, claim = _make(post, row, f.report, f.votes, context, made)
        if update is not None and "<img" in update.body_html:
            update = _responsive(update, post, context.base_url, photos)
        said = (*f.said, tuple(made.items), tuple(photos.items))
        key = paths.key(post.slug)
        checked.append(Checked(post, key, said, update, claim, bool(row["draft"]), any(said)))
    return checked


def gather(checked: list[Checked], drafts: bool, problems: Problems) -> list[Update]:
    """The records of the posts without a problem (drafts only when asked), and every problem:
    step by step, then across posts (one report a project a month, no attachment where another
    post's page is), then each post's record and photos. When nothing is said (a rebuild's
    usual case) that is a pass over the records, whatever the number of posts."""
    shadowed = _shadowed(checked)
    claims = [c.claim for c in checked if c.claim is not None]
    if not shadowed and len(set(claims)) == len(claims) and not any(c.troubled for c in checked):
        return [c.update for c in checked if c.update is not None and (drafts or not c.draft)]
    for step in range(STEPS):
        for c in checked:
            problems.extend(list(c.said[step]))
    problems.extend(shadowed)
    updates: list[Update] = []
    claimed: dict[Claim, str] = {}
    for c in checked:
        problems.extend(list(c.said[MADE]))
        update = c.update
        if c.claim is not None:  # one report a project a month
            other = claimed.get(c.claim)
            if other:
                line = c.post.meta.line_of("period")
                message = f"项目 {c.claim[0]} 的 {c.claim[1]} 月度推进情况重复：{other} 已有"
                problems.add(c.post.rel, line, "period", message)
                update = None
            claimed[c.claim] = c.post.rel
        if update is not None:
            problems.extend(list(c.said[PHOTOS]))
            if drafts or not c.draft:
                updates.append(update)
    return updates


def _shadowed(checked: list[Checked]) -> list[Problem]:
    """Each attachment that would be published where another post's page is (updates/a.md
    attaching b.pdf, beside a post updates/a/b.pdf.md)."""
    attaching = [c.post for c in checked if c.post.attachments]
    if not attaching:
        return []
    pages = {c.key: c.post.rel for c in checked}
    found = Problems()
    for post in attaching:
        for attachment in post.attachments:
            other = pages.get(paths.key(f"{post.slug}/{attachment.file}"))
            if other is not None:
                message = f"附件“{attachment.file}”会发布在 {other} 的网页所在的位置：请给附件改名"
                found.add(post.rel, post.meta.line_of("attachments"), "attachments", message)
    return found.items


def _make(
    post: Post,
    row: tables.Row,
    report: tables.Row | None,
    votes: tables.Row | None,
    context: Context,
    problems: Problems,
) -> tuple[Update | None, Claim | None]:
    """The post as a record (None if it has a problem), and the project and month it reports on."""
    ok = in_years(post, "date", "发布日期", row["date"], problems)
    linked, known = _linked(post, row["projects"] or [], context, problems)
    ok &= known
    fields, claim, counted = None, None, None
    if row["kind"] == "report" and report is not None:
        fields, claim = check_report(post, report, linked, context, problems)
        ok &= fields is not None
    if row["kind"] == "evaluation" and votes is not None:
        counted = check_votes(post, linked, context, votes, problems)
        ok &= counted is not None
    report_project = linked[0] if row["kind"] == "report" and len(linked) == 1 else None
    revisions = check_revisions(post, row["kind"], report_project, context.indicators, problems)
    if not ok or revisions is None:
        return None, claim
    return _record(post, row, linked, revisions, fields, counted), claim


def _linked(post: Post, written: list, context: Context, problems: Problems) -> tuple[list[str], bool]:
    """The projects the post is about that are in the lists, each once; and whether all are."""
    linked: list[str] = []
    ok = True
    for item in written:
        if not isinstance(item, str) or item not in context.projects:
            if not isinstance(item, str) or item not in context.listed:  # a listed project's own row has been said
                problems.add(post.rel, post.meta.line_of("projects"), "projects", f"关联项目“{item}”不存在")
            ok = False
        elif item in linked:
            problems.add(post.rel, post.meta.line_of("projects"), "projects", f"关联项目“{item}”重复")
        else:
            linked.append(item)
    return linked, ok


def _record(
    post: Post,
    row: tables.Row,
    linked: list[str],
    revisions: tuple[Revision, ...],
    report: Report | None,
    votes: Votes | None,
) -> Update:
    body_html = markup.render(post.body)
    return Update(
        slug=post.slug,
        title=row["title"],
        date=row["date"],
        kind=row["kind"],
        projects=tuple(linked),
        source_unit=row["source"] or "",
        body_html=body_html,
        summary=row["summary"] or markup.summary(body_html),
        source=Source(post.rel, 1),
        document_number=row["document_number"] or "",
        draft=bool(row["draft"]),
        photos=post.images.photos,
        attachments=post.attachments,
        revisions=revisions,
        body=post.body if any(r.before.body is not None for r in revisions) else "",
        votes=votes,
        **(vars(report) if report is not None else {}),  # a report's own fields are its Update's
    )


def _responsive(update: Update, post: Post, base_url: str, problems: Problems) -> Update:
    """The record with its photos served at the widths made of them; an <img> that cannot be
    published is said (unless it was said already, or is written as HTML)."""
    html, strays = images.responsive(update.body_html, post.images.photos, f"{base_url}updates/{post.slug}/")
    for src in strays:
        if unquote(src) not in post.images.refused and src not in post.images.html:
            problems.add(post.rel, post.line_of(src), None, f"图片“{src}”无法发布：{images.HOW}")
    return dataclasses.replace(update, body_html=html)
