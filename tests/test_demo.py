"""The demonstration tree: generated, never edited by hand, always marked, never in content/."""

from __future__ import annotations

import csv
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run

DEMO = ROOT / "examples" / "demo"
OFFICIAL = ROOT / "content"
BANNER = "演示数据"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8-sig")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    code, _, err = run("build", "--content", str(DEMO), "--out", str(out))
    assert code == 0, err
    return out


def test_committed_demo_is_what_the_generator_writes(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    subprocess.run(
        [sys.executable, str(ROOT / "examples" / "make_demo.py"), "--out", str(out)], check=True, capture_output=True
    )
    committed, generated = tree(DEMO), tree(out)
    assert sorted(committed) == sorted(generated), "run examples/make_demo.py after changing it"
    changed = [rel for rel in committed if committed[rel] != generated[rel]]
    assert changed == [], "examples/demo/ differs from make_demo.py's output: regenerate it, never edit by hand"


def test_generator_refuses_to_replace_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: 正式站点\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "make_demo.py"), "--out", str(tmp_path)], capture_output=True
    )
    assert done.returncode != 0
    assert (tmp_path / "site.yaml").read_text(encoding="utf-8") == "title: 正式站点\n"


def test_demo_keeps_the_official_projects_and_marks_ten_as_voted() -> None:
    name = "projects/2020-indicators.csv"
    assert (DEMO / name).read_bytes() == (OFFICIAL / name).read_bytes()
    with (OFFICIAL / "projects/2020.csv").open(encoding="utf-8-sig") as f:
        official = list(csv.DictReader(f))
    with (DEMO / "projects/2020.csv").open(encoding="utf-8") as f:
        demo = list(csv.DictReader(f))
    assert [{**r, "voted": ""} for r in demo] == [{**r, "voted": ""} for r in official]
    assert sum(r["voted"] == "true" for r in demo) == 10
    assert {r["voted"] for r in demo} == {"true", "false"}


def test_demo_says_it_is_a_demo() -> None:
    settings = yaml.safe_load((DEMO / "site.yaml").read_text(encoding="utf-8"))
    assert settings["demo"] is True
    assert "演示" in settings["title"]
    assert "演示" in settings["description"] and "10" in settings["description"]
    posts = sorted((DEMO / "updates").rglob("*.md"))
    assert posts
    for path in posts:
        _, body = front_matter(path)
        assert body.lstrip().startswith("（演示数据）"), path


def test_demo_checks_and_builds(site: Path) -> None:
    code, out, err = run("check", "--content", str(DEMO))
    assert code == 0, out + err
    assert (site / "index.html").is_file()
    assert (site / "reports" / "2020-06" / "index.html").is_file()


def test_every_page_of_the_demo_shows_the_banner(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    unmarked = [p.relative_to(site).as_posix() for p in pages if BANNER not in p.read_text(encoding="utf-8")]
    assert unmarked == []


class _Marks(HTMLParser):
    """The verdict and compliance marks inside the month table's body, as (class, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.current: list[str] | None = None
        self.marks: list[tuple[str, str]] = []
        self.notes = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "tbody":
            self.in_body = True
        if self.in_body and "disagree" in classes:
            self.notes += 1
        if self.in_body and any(c.startswith(("verdict-", "compliance-")) for c in classes):
            self.current = [" ".join(classes), ""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self.in_body = False
        if self.current is not None and tag in ("span", "strong"):
            self.marks.append((self.current[0], self.current[1].strip()))
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current[1] += data


def month_marks(site: Path, month: str) -> _Marks:
    parser = _Marks()
    parser.feed((site / "reports" / month / "index.html").read_text(encoding="utf-8"))
    return parser


def test_month_pages_show_every_kind_of_verdict_and_compliance(site: Path) -> None:
    months = [f"2020-{m:02d}" for m in range(6, 13)]
    parsed = {m: month_marks(site, m) for m in months}
    shown = {text for p in parsed.values() for _, text in p.marks}
    assert {"滞后", "按序时", "逾期报送", "未报送", "按时报送"} <= shown
    assert "已完成" in {text for _, text in parsed["2020-12"].marks}
    assert any(p.notes for p in parsed.values()), "no month shows a disagreement between status and numbers"
    # Varied, not one verdict everywhere: at least two verdicts on each month page.
    for month, p in parsed.items():
        verdicts = {text for cls, text in p.marks if "verdict" in cls}
        assert len(verdicts) >= 2, month


def test_demo_evaluations_are_mostly_satisfied_none_dissatisfied(site: Path) -> None:
    with (site / "data" / "evaluations.csv").open(encoding="utf-8-sig") as f:
        results = [row["result"] for row in csv.DictReader(f)]
    assert len(results) == 10
    assert "dissatisfied" not in results
    assert results.count("basically_satisfied") >= 1
    assert results.count("satisfied") > len(results) / 2


def test_official_content_has_no_demo_data() -> None:
    settings = yaml.safe_load((OFFICIAL / "site.yaml").read_text(encoding="utf-8-sig"))
    assert "demo" not in settings
    for path in sorted((OFFICIAL / "updates").rglob("*.md")):
        meta, body = front_matter(path)
        assert meta.get("kind") != "report", f"{path}: monthly reports belong in examples/demo, not content/"
        assert BANNER not in body, path
