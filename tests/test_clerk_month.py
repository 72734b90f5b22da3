"""The clerk's month end to end, as a clerk lives it: on the demo tree plus a news post with a
photo, every lead unit's form exported in one go, filled in, imported with one refusal fixed
and one hold confirmed, a correction a week later with its reason, and the site built. The
project page then shows the correction with its reason, and the report keeps the compliance of
its first filing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
from conftest import ROOT, post, run, write_tree
from PIL import Image

PERIOD = "2020-12"
FILED = dt.date(2020, 12, 20)  # before the 25th: on time
TEXT = "（演示数据）十二月推进情况：按计划推进。"


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 140, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


def demo_with_a_photo(tmp_path: Path) -> Path:
    content = tmp_path / "demo"
    shutil.copytree(ROOT / "examples" / "demo", content)
    shutil.rmtree(content / "updates" / "reports" / PERIOD, ignore_errors=True)
    write_tree(
        content,
        {
            "updates/news/2020-12-10-trail.md": post(
                """
                title: 步道新貌
                date: 2020-12-10
                kind: news
                projects: [2020-06]
                source: 区融媒体中心
                """,
                "![步道入口的新指示牌](trail.jpg)",
            ),
            "updates/news/trail.jpg": photo(),
        },
    )
    return content


def last_value(cell: object) -> Decimal:
    """上月值 as the export wrote it: a number, "30（截至4月底）", or empty."""
    if cell is None:
        return Decimal(0)
    match = re.match(r"[\d.]+", str(cell))
    return Decimal(match.group(0)) if match else Decimal(0)


def fill(path: Path, date: dt.date = FILED) -> dict[str, tuple[int, str]]:
    """Fill a unit's form as a clerk would: every open 推进情况 cell, its status and date, each
    indicator with last month's value (nothing goes down), and the footer. Returns the cell of
    each indicator's 本月值 by indicator id, with its project's 序号."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    cells: dict[str, tuple[int, str]] = {}
    seq = None
    for row in range(4, sheet.max_row + 1):
        label = sheet.cell(row, 1).value
        if isinstance(label, str) and label.endswith("："):
            value = {"填报人：": "王五", "联系电话：": "023-6789-0000", "审核人（单位主要负责人）：": "李四"}[label]
            sheet.cell(row, 3).value = value
            continue
        if isinstance(label, int):
            seq = label if not sheet.cell(row, 4).protection.locked else None
            if seq is not None:
                sheet.cell(row, 4).value = TEXT
                sheet.cell(row, 5).value = "序时推进"
                sheet.cell(row, 10).value = date
        indicator = sheet.cell(row, 11).value
        if seq is not None and indicator and not sheet.cell(row, 9).protection.locked:
            sheet.cell(row, 9).value = float(last_value(sheet.cell(row, 8).value))
            cells[indicator] = (seq, f"I{row}")
    book.save(path)
    return cells


def set_cell(path: Path, address: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    book.active[address] = value
    book.save(path)


def test_a_whole_month_from_export_to_the_published_correction(tmp_path: Path) -> None:
    content = demo_with_a_photo(tmp_path)
    folder = tmp_path / "十二月"
    folder.mkdir()

    # 1. Every lead unit's form in one command.
    code, out, err = run(
        "form", "export", "--period", PERIOD, "--each-unit", "-o", str(folder), "--content", str(content)
    )
    assert code == 0, err
    forms = sorted(folder.glob("*.xlsx"))
    assert len(forms) == len(out.splitlines()) >= 10

    # 2. The units fill them in; one writes "约100" where a number goes.
    filled = {form: fill(form) for form in forms}
    sloppy, cells = next((f, c) for f, c in filled.items() if c)
    indicator, (seq, address) = next(iter(cells.items()))
    set_cell(sloppy, address, "约100")
    code, _, err = run("form", "import", *map(str, forms), "--content", str(content))
    assert code == 1
    assert f"{sloppy}:附件2!{address}: 本月值“约100”不是数字" in err
    assert not (content / "updates" / "reports" / PERIOD).exists()  # all or nothing

    # 3. Fixed, but now far above its target: held until the clerk confirms it.
    set_cell(sloppy, address, 100000)
    code, _, err = run("form", "import", *map(str, forms), "--content", str(content))
    assert code == 1
    assert f"{sloppy}:附件2!{address}: 提示：" in err
    assert "--confirm" in err
    assert not (content / "updates" / "reports" / PERIOD).exists()
    code, out, err = run("form", "import", *map(str, forms), "--confirm", "--content", str(content))
    assert code == 0, err
    written = sorted((content / "updates" / "reports" / PERIOD).glob("*.md"))
    assert len(written) == 21  # every project once, co-led ones by their first-listed unit
    assert "跳过 0 项" in out and not any(line.startswith("跳过") for line in out.splitlines())
    assert all("按时报送" in line for line in out.splitlines() if line.startswith("已写入"))

    # 4. A week later the unit corrects the number, with its reason.
    project = f"2020-{seq:02d}"
    corrected = last_value(openpyxl.load_workbook(sloppy).active[address.replace("I", "H")].value) + 1
    set_cell(sloppy, address, float(corrected))
    set_cell(sloppy, "J4", dt.date(2020, 12, 28))  # the correction's own day, after the 25th
    code, out, err = run(
        "form", "import", str(sloppy), "--replace", "--reason", "单位更正本月值", "--content", str(content)
    )
    assert code == 0, err
    report = content / "updates" / "reports" / PERIOD / f"{project}.md"
    text = report.read_text(encoding="utf-8")
    assert "submitted: 2020-12-20" in text and "reason: 单位更正本月值" in text
    assert f"{indicator}: {corrected}" in text and f"{indicator}: 100000" in text  # now, and before

    # 5. Published: the correction with its reason, and the first filing's compliance.
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    page = (site / "projects" / project / "index.html").read_text(encoding="utf-8")
    december = page[page.index(f'id="month-{PERIOD}"') :].split('<h3 id="month-')[0]
    assert "已更正" in december and "单位更正本月值" in december
    assert "审核人：李四" in december
    record = page[page.index("2020年12月</a></th>") :].split("</tr>")[0]
    assert "按时报送" in record
    for built in [*site.rglob("*.html"), *content.rglob("*.md")]:
        assert "023-6789-0000" not in built.read_text(encoding="utf-8")
        assert "王五" not in built.read_text(encoding="utf-8")
    assert list((site / "updates" / "news" / "2020-12-10-trail").glob("trail-*.jpg"))
