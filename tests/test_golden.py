"""The golden site: tests/golden/content/ built and compared, file by file, with tests/golden/expected/.

The fixture is a small complete site of a district that does not exist: two years (2028 in a
CSV list, 2029 in a YAML list), projects with cumulative, level and at_most indicators, one
without indicators, monthly reports (one late, some missing, one where the unit's status and
the numbers disagree), a news post, a notice, a draft that must not appear, and a voted project
with its satisfaction evaluation. site.yaml sets every duty of a government site and the
public's feedback channels, so every footer and project page shows them. ``base_url`` is written without slashes and ``site_url`` with
one, so every page also shows that both are normalised.

Not compared byte for byte, so that CSS and search work do not churn the golden files:
``static/`` (only the list of its files is compared, with tests/golden/static-files.txt) and
``pagefind/`` (a binary index whose file names are hashes of the pages; test_build checks that
it is reproducible).

After an intended change to the output, regenerate the expected files and review the diff:

    .venv/bin/python tests/test_golden.py --regen
"""

from __future__ import annotations

import difflib
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = HERE / "golden"
CONTENT = GOLDEN / "content"
EXPECTED = GOLDEN / "expected"
STATIC_LIST = GOLDEN / "static-files.txt"
LISTED_ONLY = "static/"
IGNORED = ("pagefind/", ".portal-inputs")
REGEN = ".venv/bin/python tests/test_golden.py --regen"


def build(out: Path) -> None:
    from conftest import run

    code, _, err = run("build", "--content", "tests/golden/content", "--out", str(out), cwd=ROOT)
    assert code == 0, err


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def compared(site: Path) -> dict[str, Path]:
    return {rel: p for rel, p in files(site).items() if not rel.startswith((LISTED_ONLY, *IGNORED))}


def static_list(site: Path) -> str:
    return "".join(rel + "\n" for rel in files(site) if rel.startswith(LISTED_ONLY))


def first_difference(rel: str, expected: bytes, actual: bytes) -> str:
    """The first differing lines of one file, as a unified diff."""
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        actual.decode("utf-8", "replace").splitlines(),
        f"expected/{rel}",
        f"built/{rel}",
        lineterm="",
        n=2,
    )
    return "\n".join(list(lines)[:30])


def test_golden_site_matches_expected(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(site)
    built, expected = compared(site), files(EXPECTED)
    advice = f"after an intended change run: {REGEN}"
    assert sorted(built) == sorted(expected), (
        f"files only built: {sorted(set(built) - set(expected))}; "
        f"files only expected: {sorted(set(expected) - set(built))}; {advice}"
    )
    for rel in sorted(built):
        want, got = expected[rel].read_bytes(), built[rel].read_bytes()
        assert got == want, f"{rel} differs ({advice}):\n{first_difference(rel, want, got)}"
    assert static_list(site) == STATIC_LIST.read_text(encoding="utf-8"), advice


def test_golden_fixture_says_what_it_promises() -> None:
    """The expected site has what the docstring above says the fixture covers."""
    pages = {rel: p.read_text(encoding="utf-8") for rel, p in files(EXPECTED).items() if rel.endswith(".html")}
    assert {"years/2028/index.html", "years/2029/index.html"} <= set(pages)
    assert "reports/2028-12/index.html" in pages and "reports/2029-02/index.html" in pages
    assert all("草稿：尚未发布的新闻" not in text for text in pages.values())
    votes = '<td data-label="不满意">1</td><td data-label="弃权">1</td><td data-label="总票数">40</td>'
    assert votes in pages["deputies/2028/index.html"] and votes in pages["projects/2028-01/index.html"]
    assert all("ICP备案号：" in text and 'name="SiteIDCode"' in text for text in pages.values())  # site.yaml's duties
    assert 'class="feedback"' in pages["projects/2029-01/index.html"]
    assert all('href="/minsheng/' in text for text in pages.values())
    assert "逾期报送" in pages["reports/2029-03/index.html"] and "未报送" in pages["reports/2029-04/index.html"]


def regenerate() -> None:
    """Rebuild the golden site and replace tests/golden/expected/ and static-files.txt."""
    sys.path[:0] = [str(ROOT), str(HERE)]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site)
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, path in compared(site).items():
            target = EXPECTED / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        STATIC_LIST.write_text(static_list(site), encoding="utf-8")
    print(f"regenerated {EXPECTED.relative_to(ROOT)}/ and {STATIC_LIST.relative_to(ROOT)}: review with git diff")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regen"]:
        sys.exit(f"usage: {REGEN}")
    regenerate()
