"""What a load remembers between loads: nothing for a whole build, a Memo for the preview.

Loading asks its memory at each step that a rebuild may skip (the settings and lists, a file's
page, a post as read, its fields as validated, its record as made), and never asks whether there
is one: ``Fresh`` does each step afresh, ``Memo`` keeps each result while what it came from stays.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from frictionless import Schema

from portal import cores, files
from portal.errors import Problem, Problems
from portal.load import markup, posts, tables, walk
from portal.load.posts import Post
from portal.load.walk import Place, PostFile

T = TypeVar("T")
MakeRaw = Callable[[Post], tables.RawRow]


class Fresh:
    """A whole build's memory: nothing kept, every file read and checked afresh."""

    def settings(self, read: Callable[[], T]) -> T:
        """The site settings and the lists, with their problems."""
        return read()

    def place(self, relative: str) -> Place:
        return walk.place(relative)

    def keep(self, rels: set[str]) -> None:
        """Forget the posts not among these (removed or renamed since)."""

    def parallel(self, jobs: int, count: int) -> bool:
        """Whether ``count`` posts are read (and their Markdown rendered) across the cores."""
        return jobs > 1 and count >= markup.PARALLEL_FROM and cores.can_fork()

    def post(self, file: PostFile, content: Path, problems: Problems) -> Post | None:
        return posts.read(file, content, problems)

    def read_apart(self, file: PostFile, post: Post | None, found: list[Problem], key: tuple | None) -> None:
        """A post read by a worker (``key``: the file's status before it was read)."""

    def made(self, rel: str) -> bool:
        """Whether the record of this post is kept (its Markdown needs no rendering ahead)."""
        return False

    def validate(
        self, many: list[Post], make_raw: MakeRaw, schema: Schema, problems: Problems
    ) -> dict[str, tables.Row]:
        """One frictionless pass over many posts' fields; problems carry each post's own path."""
        typed, found = tables.validate([_located(post, make_raw) for post in many], schema, "")
        problems.extend(found)
        return {post.rel: row for post, row in zip(many, typed, strict=True)}

    def update(self, rel: str, inputs: tuple, make: Callable[[Problems], T], problems: Problems) -> T:
        """The post's record made from ``inputs`` (its post and validated fields)."""
        return make(problems)


class Memo(Fresh):
    """What the preview keeps between rebuilds, so a saved post costs only that post.

    The site settings and project tables as read (the preview starts a new Memo whenever a file
    other than a post changes); for each post file, what its name makes of it, the file as read
    (kept while its size, times and inode stay), its fields as validated and its record as made
    (kept while they come from the very same objects). A load with a Memo finds exactly what one
    without finds: the same records and the same problems (tests/test_incremental.py). Posts
    that are gone are forgotten at each load.
    """

    def __init__(self) -> None:
        self.kept_settings: Any = None  # what settings() read: the site settings, the lists, their problems
        self.posts: dict[str, tuple[tuple[int, ...], Post | None, list[Problem]]] = {}
        self.rows: dict[tuple[tuple[str, ...], str], tuple[Post, tables.Row, list[Problem]]] = {}  # by schema and post
        self.updates: dict[str, tuple[tuple, Any, list[Problem]]] = {}
        self.places: dict[str, Place] = {}  # a path under updates/ → its place

    def settings(self, read: Callable[[], T]) -> T:
        if self.kept_settings is None:
            self.kept_settings = read()
        return self.kept_settings

    def place(self, relative: str) -> Place:
        if relative not in self.places:
            self.places[relative] = walk.place(relative)
        return self.places[relative]

    def keep(self, rels: set[str]) -> None:
        for store in (self.posts, self.updates):
            for rel in store.keys() - rels:
                del store[rel]
        for key in [key for key in self.rows if key[1] not in rels]:
            del self.rows[key]

    def parallel(self, jobs: int, count: int) -> bool:
        """Across the cores only the first time: a rebuild reads what changed, a post or two."""
        return not self.posts and super().parallel(jobs, count)

    def read_apart(self, file: PostFile, post: Post | None, found: list[Problem], key: tuple | None) -> None:
        if key is not None:
            self.posts[file.rel] = (key, post, found)

    def refresh(self, unchanged: dict[str, Path]) -> None:
        """After the memo was kept beside the output (incremental/record.py): keep only the posts
        in ``unchanged`` (post → its file: their digests are the same), each with the status its
        file has now (a checkout may touch a file without changing it)."""
        for rel in list(self.posts):
            key = files.stat_key(unchanged[rel]) if rel in unchanged else None
            if key is None:
                del self.posts[rel]
            else:
                self.posts[rel] = (key, *self.posts[rel][1:])

    def post(self, file: PostFile, content: Path, problems: Problems) -> Post | None:
        """As read before while the file is unchanged since (size, times, inode)."""
        key = files.stat_key(file.path)
        if key is None:  # gone since the walk: posts.read says what it finds
            return posts.read(file, content, problems)
        known = self.posts.get(file.rel)
        if known is None or known[0] != key:
            found = Problems()
            known = (key, posts.read(file, content, found), found.items)
            self.posts[file.rel] = known
        problems.extend(known[2])
        return known[1]

    def made(self, rel: str) -> bool:
        return rel in self.updates

    def validate(
        self, many: list[Post], make_raw: MakeRaw, schema: Schema, problems: Problems
    ) -> dict[str, tables.Row]:
        """Only the posts not validated before (as this very Post) go through frictionless: the
        post schemas have no rule across rows (no unique field, no key), so a row's result is its
        own. A schema with such a rule is validated whole."""
        if schema.primary_key or any(f.constraints.get("unique") for f in schema.fields):
            return super().validate(many, make_raw, schema, problems)
        which = tuple(f.name for f in schema.fields)  # not id(schema): the memo outlives the process (persisted)
        todo = [post for post in many if self.rows.get((which, post.rel), (None,))[0] is not post]
        if todo:
            typed, found = tables.validate([_located(post, make_raw) for post in todo], schema, "")
            by_post: dict[str, list[Problem]] = {}
            for problem in found:
                by_post.setdefault(problem.path, []).append(problem)
            for post, row in zip(todo, typed, strict=True):
                self.rows[which, post.rel] = (post, row, by_post.get(post.rel, []))
        rows = {}
        for post in many:
            _, row, found_here = self.rows[which, post.rel]
            problems.extend(found_here)
            rows[post.rel] = row
        return rows

    def update(self, rel: str, inputs: tuple, make: Callable[[Problems], T], problems: Problems) -> T:
        """As made before while ``inputs`` are the very same objects."""
        known = self.updates.get(rel)
        if known is None or any(a is not b for a, b in zip(known[0], inputs, strict=True)):
            found = Problems()
            known = (inputs, make(found), found.items)
            self.updates[rel] = known
        problems.extend(known[2])
        return known[1]


def _located(post: Post, make_raw: MakeRaw) -> tables.RawRow:
    """The post's fields as a row that knows the post's path."""
    raw = make_raw(post)
    return tables.RawRow(raw.cells, raw.line, raw.lines, post.rel)
