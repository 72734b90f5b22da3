"""The posts made records (model.records.Update), once their fields are valid.

Each post's projects, its kind's own fields (reports.py) and its corrections (revisions.py) are
checked against the lists; then its Markdown is rendered and its photos made responsive. Across
posts: one report a project a month, and no attachment where another post's page is. Drafts are
checked like any post, kept only when asked.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from urllib.parse import unquote

from portal import paths
from portal.errors import Problems
from portal.load import images, markup, tables
from portal.load.checks import Context, Fields, in_years
from portal.load.memo import Fresh
from portal.load.posts import Post
from portal.load.reports import Claim, Report, check_report, check_votes
from portal.load.revisions import check_revisions
from portal.model.records import Revision, Source, Update, Votes


def make(posts: list[Post], fields: Fields, context: Context, memo: Fresh, problems: Problems) -> list[Update]:
    """The records of the posts without a problem (drafts only when the context keeps them)."""
    updates: list[Update] = []
    claimed: dict[Claim, str] = {}
    _shadowed(posts, problems)
    for post in posts:
        row = fields.common.get(post.rel)
        if row is None or row["title"] is None or row["date"] is None or row["kind"] is None:
            continue
        inputs = (post, row, fields.report.get(post.rel), fields.votes.get(post.rel))
        update, claim = memo.update(post.rel, inputs, partial(_make, *inputs, context), problems)
        if claim is not None:  # one report a project a month
            other = claimed.get(claim)
            if other:
                line = post.meta.line_of("period")
                problems.add(post.rel, line, "period", f"项目 {claim[0]} 的 {claim[1]} 月度推进情况重复：{other} 已有")
                update = None
            claimed[claim] = post.rel
        if update is not None and "<img" in update.body_html:
            update = _responsive(update, post, context.base_url, problems)
        if update is not None and (context.drafts or not row["draft"]):
            updates.append(update)
    return updates


def _shadowed(posts: list[Post], problems: Problems) -> None:
    """Say each attachment that would be published where another post's page is (updates/a.md
    attaching b.pdf, beside a post updates/a/b.pdf.md)."""
    pages = {paths.key(post.slug): post.rel for post in posts}
    for post in posts:
        for attachment in post.attachments:
            other = pages.get(paths.key(f"{post.slug}/{attachment.file}"))
            if other is not None:
                message = f"附件“{attachment.file}”会发布在 {other} 的网页所在的位置：请给附件改名"
                problems.add(post.rel, post.meta.line_of("attachments"), "attachments", message)


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
