"""The bench's cases of a few posts changed under a built site (issue 17), and their check.

Each case times ``build.py build`` in a fresh process with the output already there and the
cache full, after a change that is new each repeat (so that every timed build has real work):

- a news post added, dated in the corpus's newest year, about one of that year's projects
  (``corpus.news_post``, written as the corpus writes its posts), a new slug each repeat;
- the body of the corpus's middle post (the one ``serve_edits`` edits) edited, a new marker
  each repeat;
- the newest month's reports (updates/reports/<YYYY-MM>/) moved out of content/, the site
  built (untimed), the folder moved back: the timed build adds the month again.

run.py passes ``build(name)``: one build of content/ into the bench's output, its log
logs/<name>.log. After each timed build the page it should have changed is looked at, and at
the end ``differences`` compares the output with a whole build of the same content. ``restore``
then takes content/ back to the corpus (the preview's measurement follows).
"""

from __future__ import annotations

import filecmp
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import corpus

R = TypeVar("R")  # what one build returns (run.Run)
EDIT = "\n基准测试增量修改 {marker}\n"  # appended to the middle post's text
SKIPPED: tuple[str, ...] = ()  # folders not compared (none: Pagefind's index is deterministic, so compared too)
MARKERS = ".portal-"  # files not compared: the build's own records (digest, dependencies)


@dataclass
class Changed:
    """What the cases did to content/ (undone by ``restore``) and what they got wrong."""

    content: Path
    out: Path
    added: list[Path] = field(default_factory=list)
    edited: dict[Path, str] = field(default_factory=dict)  # file → its text before the cases
    problems: list[str] = field(default_factory=list)
    builds: int = 0
    replaced: int = 0  # builds after which the output folder was a new one (a whole swap)

    def page(self, slug: str) -> Path:
        return self.out / "updates" / slug / "index.html"

    def expect(self, slug: str, text: str, build: str) -> None:
        """Note a problem unless the post's page holds ``text``."""
        try:
            found = text in self.page(slug).read_text(encoding="utf-8")
        except OSError:
            found = False
        if not found:
            self.problems.append(f"{build}: updates/{slug}/index.html does not show {text!r}")

    def build(self, build: Callable[[str], R], name: str) -> R:
        """One build, noting whether it replaced the whole output folder (and so deleted the
        old one: the disk is not settled after it, see TRASH in run.py)."""
        before = self.out.stat().st_ino
        run = build(name)
        self.builds += 1
        self.replaced += self.out.stat().st_ino != before
        return run


def new_post(made: corpus.Corpus, changed: Changed, repeat: int, build: Callable[[str], R]) -> list[R]:
    """A new news post before each timed build."""
    runs = []
    for n in range(repeat):
        post = corpus.news_post(made, n, f"bench-new-{n}")
        changed.added.append(corpus.write_our_post(post, changed.content))
        runs.append(changed.build(build, f"ours-new-post-{n}"))
        changed.expect(post.slug, post.title, f"ours-new-post-{n}")
    return runs


def edited_post(made: corpus.Corpus, changed: Changed, repeat: int, build: Callable[[str], R]) -> list[R]:
    """The middle post's body edited (a new marker) before each timed build."""
    post = made.posts[len(made.posts) // 2]
    source = changed.content / "updates" / f"{post.slug}.md"
    original = changed.edited.setdefault(source, source.read_text(encoding="utf-8"))
    runs = []
    for n in range(repeat):
        marker = f"bench-incremental-edit-{n}"
        source.write_text(original + EDIT.format(marker=marker), encoding="utf-8")
        runs.append(changed.build(build, f"ours-edited-post-{n}"))
        changed.expect(post.slug, marker, f"ours-edited-post-{n}")
    return runs


def newest_month(made: corpus.Corpus) -> str:
    return max(post.period for post in made.posts if post.kind == "report")


def new_month(made: corpus.Corpus, changed: Changed, aside: Path, repeat: int, build: Callable[[str], R]) -> list[R]:
    """The newest month's reports moved out and built without (untimed), then moved back in
    and built (timed). Moved, not deleted: see TRASH in run.py."""
    month = newest_month(made)
    folder = changed.content / "updates" / "reports" / month
    away = aside / month
    aside.mkdir(parents=True, exist_ok=True)
    one = next(post for post in made.posts if post.period == month)
    runs = []
    for n in range(repeat):
        folder.rename(away)
        changed.build(build, f"ours-month-out-{n}")
        away.rename(folder)
        runs.append(changed.build(build, f"ours-new-month-{n}"))
        changed.expect(one.slug, one.title, f"ours-new-month-{n}")
    return runs


def restore(changed: Changed) -> None:
    """content/ as the corpus wrote it: the added posts removed (a few files), edits undone."""
    for path in changed.added:
        path.unlink(missing_ok=True)
    for path, text in changed.edited.items():
        path.write_text(text, encoding="utf-8")


def entries(root: Path) -> dict[str, Path]:
    """Every file and folder under ``root`` by its relative path (folders end in /), but
    the build's .portal-* markers."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        here = Path(folder)
        rel = here.relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        found.update({prefix + d + "/": here / d for d in dirs})
        found.update({prefix + f: here / f for f in files if not f.startswith(MARKERS)})
    return found


def differences(built: Path, whole: Path) -> dict[str, list[str]]:
    """What differs between two output trees, byte for byte: paths only in either, and files
    in both whose bytes differ. Empty lists when they are the same."""
    ours, theirs = entries(built), entries(whole)
    both = sorted(ours.keys() & theirs.keys())
    return {
        "only_incremental": sorted(ours.keys() - theirs.keys()),
        "only_whole": sorted(theirs.keys() - ours.keys()),
        "differ": [rel for rel in both if not rel.endswith("/") and not filecmp.cmp(ours[rel], theirs[rel], False)],
    }
