"""Fidelity to the notice: every row of content/projects/2020.csv appears on its built page in full.

The list is read here with the csv module, independently of the portal's own loader, and the
default content/ is built once. Where the project's shared documents lie beside the clone
(../shared/seeds/, as on a developer's machine and in CI), each row is also compared with the
notice's own text, so a transcription slip in content/ is caught too.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, run

LIST = ROOT / "content" / "projects" / "2020.csv"
ROWS = list(csv.DictReader(LIST.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))


def names(cell: str) -> list[str]:
    return cell.split("、")


class Text(HTMLParser):
    """A page's visible text (no script or style), text nodes joined as they stand."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def read(page: Path) -> Text:
    parsed = Text()
    parsed.feed(page.read_text(encoding="utf-8"))
    parsed.close()
    return parsed


def flat(text: str) -> str:
    """Text without white space, so that line breaks and indentation of the markup do not count."""
    return re.sub(r"\s+", "", text)


def seed_rows() -> dict[int, str]:
    """The notice's 附件1 table from the seed text: each row's cells, white space removed, by 序号."""
    text = next((s.read_text(encoding="utf-8") for s in SEEDS if ROWS[0]["name"] in s.read_text(encoding="utf-8")), "")
    assert text, f"no seed in {SEEDS} holds the project list"
    table = text.split("附件1", 1)[1]
    lines = table.split("\n")
    starts = [i for i, line in enumerate(lines) if re.fullmatch(r"\t\d+", line)]
    return {
        int(lines[a].strip()): flat("".join(lines[a + 1 : b]))
        for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("notice") / "site"
    code, _, err = run("build", "--content", str(ROOT / "content"), "--out", str(out))
    assert code == 0, err
    return out


def test_the_list_has_the_notice_21_rows() -> None:
    assert [int(r["seq"]) for r in ROWS] == list(range(1, 22))
    assert [r["id"] for r in ROWS] == [f"2020-{n:02d}" for n in range(1, 22)]


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_project_page_shows_the_row_in_full(row: dict[str, str], site: Path) -> None:
    page = read(site / "projects" / row["id"] / "index.html")
    text = "".join(page.parts)
    compact = flat(text)
    assert row["name"] in text
    assert flat(row["target"]) in compact, "目标任务 abridged or altered"
    assert row["target"] in text  # and not re-wrapped: the official wording as written
    assert f"牵头领导{row['leaders']}" in compact
    assert f"牵头单位{row['units']}" in compact
    assert f"级别{row['level']}" in compact
    for leader in names(row["leaders"]):
        assert (site / "leaders" / leader / "index.html").is_file()
        assert row["name"] in "".join(read(site / "leaders" / leader / "index.html").parts)
    for unit in names(row["units"]):
        assert row["name"] in "".join(read(site / "units" / unit / "index.html").parts)
    assert row["voted"] == "false"
    assert "人大代表票决是" not in compact
    if SEEDS:
        seed = next(s.read_text(encoding="utf-8") for s in SEEDS if ROWS[0]["name"] in s.read_text(encoding="utf-8"))
        assert row["target"] in seed.replace("\r", "").replace("\n", ""), "目标任务 differs from the notice"
        expected = flat(row["name"] + row["target"] + "".join(names(row["leaders"])) + "".join(names(row["units"])))
        assert seed_rows()[int(row["seq"])].startswith(expected + flat(row["level"]))


@pytest.mark.parametrize(("seq", "leaders", "units"), [(11, 3, 3), (18, 2, 2)])
def test_rows_with_several_leaders_and_units(seq: int, leaders: int, units: int, site: Path) -> None:
    row = ROWS[seq - 1]
    assert (len(names(row["leaders"])), len(names(row["units"]))) == (leaders, units)
    links = read(site / "projects" / row["id"] / "index.html").links
    assert len({link for link in links if link.startswith("/leaders/") and link != "/leaders/"}) == leaders
    assert len({link for link in links if link.startswith("/units/") and link != "/units/"}) == units


def test_no_project_is_marked_voted_and_the_deputies_page_says_so(site: Path) -> None:
    assert {r["voted"] for r in ROWS} == {"false"}
    for page in ("deputies/index.html", "deputies/2020/index.html"):
        text = "".join(read(site / page).parts)
        assert "尚未录入" in text
        assert not any(r["name"] in text for r in ROWS), f"{page} lists a project as voted"
    assert not (site / "projects" / "voted").exists()
