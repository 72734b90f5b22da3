"""What a load remembers between loads: nothing for a whole build, a Memo for the preview.

Loading asks its memory at each step that a rebuild may skip (the settings and lists, a file's
page, a post as read, a post as checked: its fields validated, its record made), and never asks
whether there is one: ``Fresh`` does each step afresh, ``Memo`` keeps each result while what it
came from stays.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from portal import cores, files
from portal.errors import Problem, Problems
from portal.load import checks, markup, posts, walk, yamlsafe
from portal.load.checks import Context
from portal.load.posts import Post
from portal.load.updates import Checked
from portal.load.walk import Place, PostFile

T = TypeVar("T")


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

    def files(self, content: Path, shown: str, problems: Problems) -> list[PostFile]:
        """The post files under updates/, and what is wrong with the tree (walk.post_files)."""
        return walk.post_files(content, shown, problems, self.place)

    def read_apart(self, file: PostFile, post: Post | None, found: list[Problem], key: tuple | None) -> None:
        """A post read by a worker (``key``: the file's status before it was read)."""

    def unchecked(self, posts: list[Post], context: Context) -> list[Post]:
        """The posts to check (their Markdown rendered ahead): all of them."""
        return posts

    def checked(self, posts: list[Post], checked: list[Checked]) -> list[Checked]:
        """Each post as checked, in the posts' order, given those just checked."""
        return checked


class Slim(yamlsafe.Mapping):
    """A kept post's front matter, left out of the memo a build keeps beside its output (Memo.slim)."""

    def line_of(self, key: str) -> int:
        """A problem found across posts names a kept post's line (two reports for one project and
        month, say): a whole build reads it again and says where."""
        raise Stale(f"a kept post's line of {key} is not kept")


_SLIM = Slim()


class Stale(Exception):
    """A load would check again a post the memo kept beside the output has only as checked."""


class Memo(Fresh):
    """What the preview keeps between rebuilds, so a saved post costs only that post.

    The site settings and project tables as read (the preview starts a new Memo whenever a file
    other than a post changes); for each post file, what its name makes of it, the file as read
    (kept while its size, times and inode stay) and the post as checked on its own (kept while
    it is the very same Post, checked against an equal Context by the same schemas), so that an
    unchanged post costs a look-up; what holds across posts is checked at each load from those
    (updates.gather). A load with a Memo finds exactly what one without finds: the same records
    and the same problems (tests/test_incremental.py). Posts that are gone are forgotten at each
    load. Kept by value only (no id(), no open file), so that it can be pickled.
    """

    def __init__(self) -> None:
        self.kept_settings: Any = None  # what settings() read: the site settings, the lists, their problems
        self.posts: dict[str, tuple[tuple[int, ...], Post | None, list[Problem]]] = {}
        self.against: Any = None  # what the posts were checked against: the Context, the schemas' fields
        self.checks: dict[str, Checked] = {}  # a post's path → the post as checked
        self.places: dict[str, Place] = {}  # a path under updates/ → its place
        # the last walk: the post files, what it said, the posts as paths under updates/
        self.walked: tuple[list[PostFile], list[Problem], frozenset[str]] | None = None
        self.saved: set[str] | None = None  # what the watcher said changed (tell)
        self.trusted: set[str] | None = None  # the posts read again this load, the others kept as read

    def __getstate__(self) -> dict[str, Any]:
        """Kept beside the output without the last walk (a new process walks again)."""
        return {**vars(self), "walked": None, "saved": None, "trusted": None}

    def slim(self) -> None:
        """Each post as checked, without its fields and text as written (``Slim``): what a build
        keeps beside its output once its load is done (a third of the memo at 50,000 posts).
        They are needed only to check a post again, which a load does only when the lists or
        schemas differ: a build with other lists is a whole one (partial.py), and a load that
        would check a slim post again stops (``Stale``)."""
        slim: dict[int, Post] = {}

        def slimmed(post: Post | None) -> Post | None:
            if post is None or isinstance(post.meta, Slim):
                return post
            if id(post) not in slim:
                slim[id(post)] = replace(post, meta=_SLIM, body="")
            return slim[id(post)]

        self.posts = {rel: (key, slimmed(post), said) for rel, (key, post, said) in self.posts.items()}
        self.checks = {
            rel: one if isinstance(one.post.meta, Slim) else replace(one, post=slimmed(one.post))
            for rel, one in self.checks.items()
        }

    def settings(self, read: Callable[[], T]) -> T:
        if self.kept_settings is None:
            self.kept_settings = read()
        return self.kept_settings

    def place(self, relative: str) -> Place:
        if relative not in self.places:
            self.places[relative] = walk.place(relative)
        return self.places[relative]

    def keep(self, rels: set[str]) -> None:
        for store in (self.posts, self.checks):
            for rel in store.keys() - rels:
                del store[rel]

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

    def tell(self, saved: set[str] | None) -> None:
        """What the file watcher saw change since the last load, as posts' paths under updates/
        (None: nothing said; every file is looked at). When every one of them is a post known
        before and still a plain file, the tree is taken as last walked and only they are read
        again: a save costs that post, not a stat of every other (the preview's watcher is the
        kernel's, inotify and its kin). Good for the next load only."""
        self.saved = saved

    def files(self, content: Path, shown: str, problems: Problems) -> list[PostFile]:
        saved, self.saved = self.saved, None
        root = content / "updates"
        if saved is not None and self.walked is not None and all(self._known(root, rel) for rel in saved):
            self.trusted = {f"{shown}/updates/{rel}" for rel in saved}
            found, said, _ = self.walked
            problems.extend(said)
            return found
        self.trusted = None
        said = Problems()
        found = super().files(content, shown, said)
        problems.extend(said.items)
        prefix = len(f"{shown}/updates/")
        self.walked = (found, said.items, frozenset(file.rel[prefix:] for file in found))
        return found

    def _known(self, root: Path, rel: str) -> bool:
        """A post of the last walk that is still a plain file (not gone, not made a link)."""
        assert self.walked is not None
        return rel in self.walked[2] and os.path.isfile(root / rel) and not os.path.islink(root / rel)

    def post(self, file: PostFile, content: Path, problems: Problems) -> Post | None:
        """As read before while the file is unchanged since (size, times, inode); when the
        watcher has said what changed (``tell``), as read before unless it is one of those."""
        known = self.posts.get(file.rel)
        if self.trusted is not None and known is not None and file.rel not in self.trusted:
            if known[2]:
                problems.extend(known[2])
            return known[1]
        key = files.stat_key(file.path)
        if key is None:  # gone since the walk: posts.read says what it finds
            return posts.read(file, content, problems)
        known = self.posts.get(file.rel)
        if known is None or known[0] != key:
            found = Problems()
            known = (key, posts.read(file, content, found), found.items)
            self.posts[file.rel] = known
        if known[2]:
            problems.extend(known[2])
        return known[1]

    def unchecked(self, posts: list[Post], context: Context) -> list[Post]:
        """The posts not checked before as this very Post, against the same context and schemas."""
        against = (context, checks.rules())
        if self.against != against:
            self.against, self.checks = against, {}
        todo = [post for post in posts if (known := self.checks.get(post.rel)) is None or known.post is not post]
        if any(isinstance(post.meta, Slim) for post in todo):
            raise Stale
        return todo

    def checked(self, posts: list[Post], checked: list[Checked]) -> list[Checked]:
        for one in checked:
            self.checks[one.post.rel] = one
        return [self.checks[post.rel] for post in posts]
