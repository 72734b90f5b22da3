"""Any CSV row, front matter and body ends in a build or a located error, never a traceback."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from pathlib import Path

from conftest import INDICATORS_CSV, PROJECTS_CSV, SITE_YAML, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import load, pipeline
from portal.errors import ContentError

LOCATED = re.compile(r"^[^:]+(:\d+)?(:[^:]+)?: .+", re.S)
cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
) | st.sampled_from(["", "2030-01", "1", "１２", "约100", "12,3", "true", "否", "市级", "、", "<script>", "=1+1"])
yaml_scalars = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=25
) | st.sampled_from(["no", "0012", "2030-02-30", "2030-03-01", "[2030-01]", "!!python/object:os.system", "*a", "&a x"])
KEYS = ["title", "date", "kind", "projects", "source", "draft", "period", "submitted", "status", "values", "votes"]


def check(root: Path) -> None:
    try:
        load.load(root)
    except ContentError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert LOCATED.match(str(problem)), str(problem)


def fresh() -> Path:
    root = Path(tempfile.mkdtemp()) / "content"
    write_tree(
        root,
        {"site.yaml": SITE_YAML, "projects/2030.csv": PROJECTS_CSV, "projects/2030-indicators.csv": INDICATORS_CSV},
    )
    return root


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(cells, min_size=0, max_size=11), min_size=1, max_size=4))
def test_any_project_rows(rows):
    root = fresh()
    try:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "seq", "name", "target", "leaders", "units", "level", "voted", "category"])
        writer.writerows(rows)
        (root / "projects/2030.csv").write_text(buffer.getvalue(), encoding="utf-8")
        check(root)
    finally:
        shutil.rmtree(root.parent)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), yaml_scalars, max_size=8), st.text(max_size=200))
def test_any_front_matter_and_body(front, body):
    root = fresh()
    try:
        lines = ["---"]
        for key, value in front.items():
            lines.append(f"{key}: {value}")
        lines.append("---")
        (root / "updates").mkdir()
        (root / "updates/p.md").write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
        check(root)
    finally:
        shutil.rmtree(root.parent)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.text(max_size=40))
def test_any_body_and_title_build_to_safe_pages(body, title):
    root = fresh()
    out = root.parent / "site"
    try:
        quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
        text = f"---\ntitle: {quoted}\ndate: 2030-03-01\nkind: news\n---\n{body}<script>alert(1)</script>"
        (root / "updates").mkdir()
        (root / "updates/p.md").write_text(text, encoding="utf-8")
        try:
            pipeline.build(root, out)
        except ContentError:
            return
        page = (out / "updates/p/index.html").read_text(encoding="utf-8")
        assert "<script>alert(1)" not in page
    finally:
        shutil.rmtree(root.parent)
