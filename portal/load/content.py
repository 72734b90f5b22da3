"""Load: content/ → Content (validated, typed records), or every problem found, each located.

First site.yaml (config.py) and the lists (projects.py); then the posts: found (walk.py), read
(posts.py), their fields validated as tables (checks.py), and made records, checked against the
lists and each other (updates.py, reports.py, revisions.py). Each step a rebuild may skip asks
the load's memory (memo.py): a whole build's remembers nothing, the preview's Memo what has not
changed.
"""

from __future__ import annotations

from functools import partial
from multiprocessing.pool import Pool
from pathlib import Path

from portal import cores
from portal.errors import ContentError, Problem, Problems
from portal.load import checks, markup, posts, projects, updates
from portal.load.checks import Context
from portal.load.config import load_config
from portal.load.memo import Fresh, Memo
from portal.load.posts import Post
from portal.load.projects import Lists
from portal.model.records import Content, Update
from portal.model.site import SiteConfig


def load(
    content: Path, shown: str | None = None, drafts: bool = False, memo: Memo | None = None, jobs: int = 1
) -> Content:
    """Read and check everything; ``jobs`` processes render the posts' Markdown. The preview
    passes its ``memo``, kept from one load to the next."""
    shown = shown if shown is not None else str(content)
    memory = memo if memo is not None else Fresh()
    problems = Problems()
    config, lists, found = memory.settings(partial(_settings, content, shown))
    problems.extend(list(found))
    indicators = frozenset((i.project, i.id) for i in lists.indicators)
    context = Context(lists.projects, lists.listed, indicators, config.base_url if config else "/", drafts)
    try:
        made = _updates(content, shown, context, memory, jobs, problems)
    finally:
        markup.forget_prepared()
    problems.raise_if_any()
    assert config is not None
    return Content(config, tuple(lists.projects.values()), lists.indicators, tuple(made))


def _settings(content: Path, shown: str) -> tuple[SiteConfig | None, Lists, tuple[Problem, ...]]:
    """site.yaml and the lists, with what is wrong in them (the site settings None if anything)."""
    problems = Problems()
    try:
        config = load_config(content, shown)
    except ContentError as exc:
        problems.extend(exc.problems)
        config = None
    lists = projects.read(content, shown, problems)
    return config, lists, tuple(problems.items)


def _updates(content: Path, shown: str, context: Context, memo: Fresh, jobs: int, problems: Problems) -> list[Update]:
    found = memo.files(content, shown, problems)
    memo.keep({file.rel for file in found})
    if memo.parallel(jobs, len(found)):
        # A whole build: the posts are read, and their Markdown rendered, across the cores.
        with cores.pool(jobs) as workers:
            read = []
            for file, post, post_problems, key in posts.read_pooled(found, content, workers, jobs):
                problems.extend(post_problems)
                memo.read_apart(file, post, post_problems, key)
                if post is not None:
                    read.append(post)
            return _check(read, context, memo, jobs, problems, workers)
    read = [post for file in found if (post := memo.post(file, content, problems)) is not None]
    return _check(read, context, memo, jobs, problems)


def _check(
    read: list[Post], context: Context, memo: Fresh, jobs: int, problems: Problems, workers: Pool | None = None
) -> list[Update]:
    """Validate the posts and make their records, each post on its own (those the memo has not
    kept), then what holds across posts. Their Markdown is rendered meanwhile, by ``workers`` if
    given, else across ``jobs`` processes of its own (markup.prepare)."""
    todo = memo.unchecked(read, context)
    texts = [post.body for post in todo]
    rendering = markup.prepare_async(workers, jobs, texts) if workers is not None else None
    fields = checks.validate(todo)
    if rendering is not None:
        rendering.finish()
    else:
        markup.prepare(texts, jobs)
    checked = memo.checked(read, updates.check(todo, fields, context))
    return updates.gather(checked, context.drafts, problems)
