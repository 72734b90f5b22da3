"""月度报送 in the workbench, page by page (each page a plain function of its request): the month
and its forms (the very bytes ``form export`` writes), an upload refused by file and cell, holds
ticked one by one, a correction with its before/after and reason, the import (the very files
``form import`` writes, each logged), and every refusal writing nothing.

The 2030 fixture with May reported: 1 新建公厕 (区城管局; toilets 10 座, coverage ≥80 %),
2 老旧小区加装电梯 (区住建委 and 区民政局, filed by 区住建委; lifts 120 台), 3 助餐服务 (区民政局).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import post, run, write_tree
from openpyxl.utils import get_column_letter
from test_forms import fill

from portal import load
from portal.forms.compose import Options
from portal.model.portfolio import Portfolio
from portal.model.records import Month
from portal.workbench import app, monthexport, monthfiles, monthplan, writes
from portal.workbench.guard import UNSIGNED, Guard
from portal.workbench.monthpages import CHANGED, GONE, NO_REASON, UNTICKED
from portal.workbench.web import Bench, Request, Response

TOKEN = "t" * 43
NOT_A_NUMBER = "本月值“约100”不是数字：只写数字，如 12 或 6.5（不写“约”、单位或千位分隔符）"
FILED = dt.date(2030, 6, 20)


@pytest.fixture
def bench(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Bench:
    """The fixture with May reported; the private folders in a temporary folder of the test's own."""
    write_tree(
        content,
        {
            "updates/reports/2030-05/2030-01.md": post(
                "title: 新建公厕5月\ndate: 2030-05-20\nkind: report\nprojects: [2030-01]\nsource: 区城管局\n"
                "period: 2030-05\nsubmitted: 2030-05-20\nstatus: on_track\nvalues: {toilets: 4, coverage: 60}"
            ),
            "updates/reports/2030-05/2030-02.md": post(
                "title: 电梯5月\ndate: 2030-05-20\nkind: report\nprojects: [2030-02]\nsource: 区住建委、区民政局\n"
                "period: 2030-05\nsubmitted: 2030-05-20\nstatus: on_track\nvalues: {lifts: 30}"
            ),
        },
    )
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return Bench(content, "content", Guard(TOKEN))


def get(bench: Bench, path: str, **query: str) -> Response:
    return app.answer(bench, Request("GET", path, {k: (v,) for k, v in query.items()}))


def send(bench: Bench, path: str, fields: dict, files: dict[str, bytes] | None = None, token: bool = True) -> Response:
    """A POST as the pages' forms send it: the token in its body, each file with the browser's name."""
    form = {k: tuple(v) if isinstance(v, list | tuple) else (v,) for k, v in fields.items()}
    if token:
        form.setdefault("token", (TOKEN,))
    uploaded = {"forms": tuple(files.values())} if files else {}
    names = {"forms": tuple(files)} if files else {}
    return app.answer(bench, Request("POST", path, {}, {}, form, uploaded, names))


def upload(bench: Bench, files: dict[str, bytes], period: str = "2030-06", submitted: str = "") -> Response:
    return send(bench, "month/check", {"period": period, "submitted": submitted}, files)


def html(response: Response) -> str:
    return response.body.decode()


def carried(response: Response) -> dict[str, str]:
    """The hidden fields of the review's form: what the import is sent."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html(response)))


def holds(response: Response) -> list[str]:
    return re.findall(r'name="hold" value="(\w+)"', html(response))


def form_of(bench: Bench, unit: str, rows: dict[int, dict], path: Path) -> bytes:
    """A unit's form as downloaded from the month page, filled in."""
    answer = get(bench, "month/form", period="2030-06", unit=unit)
    assert answer.status == 200, html(answer)
    path.write_bytes(answer.body)
    return fill(path, rows).read_bytes()


def cell_of(data: bytes, indicator: str) -> str:
    """The 本月值 cell of an indicator on a form, e.g. "I4"."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    columns = {str(sheet.cell(3, c).value): c for c in range(1, sheet.max_column + 1)}
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, columns["指标编号"]).value == indicator)
    return f"{get_column_letter(columns['本月值'])}{row}"


def two_forms(bench: Bench, tmp_path: Path, toilets: object = 6) -> dict[str, bytes]:
    return {
        "区城管局.xlsx": form_of(
            bench,
            "区城管局",
            {1: {"推进情况": "已建成公厕6座。", "报送日期": FILED, "values": {"toilets": toilets, "coverage": 82}}},
            tmp_path / "a.xlsx",
        ),
        "区住建委.xlsx": form_of(
            bench,
            "区住建委",
            {2: {"推进情况": "已加装电梯36台。", "报送日期": FILED, "values": {"lifts": 36}}},
            tmp_path / "b.xlsx",
        ),
    }


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def kept(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "tmp").glob("minsheng-month-*"))


def log_lines(bench: Bench) -> list[dict]:
    return (
        [json.loads(line) for line in bench.log.read_text(encoding="utf-8").splitlines()] if bench.log.exists() else []
    )


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- the month and its forms


def test_the_month_page_offers_the_month_after_the_newest_report_and_each_units_form(bench):
    answer = get(bench, "month")
    assert answer.status == 200
    page = html(answer)
    assert '<option value="2030-06" selected>2030年6月</option>' in page
    assert page.count("<option ") == 12
    assert (
        '<a class="bench-button" href="/_workbench/month/zip?period=2030-06" download>下载全部 3 个单位的表格（.zip）</a>'
        in page
    )
    assert "<li>序号 2　老旧小区加装电梯（区住建委、区民政局共同牵头，由本单位汇总填报）</li>" in page
    assert "<li>序号 2　老旧小区加装电梯（区住建委、区民政局共同牵头，由区住建委汇总填报，本表不填）</li>" in page
    unit = "%E5%8C%BA%E6%B0%91%E6%94%BF%E5%B1%80"  # 区民政局
    assert f'<a href="/_workbench/month/form?period=2030-06&amp;unit={unit}" download>下载区民政局的表格</a>' in page
    assert 'action="/_workbench/month/check" enctype="multipart/form-data"' in page
    assert '<input type="hidden" name="token" value="' + TOKEN + '">' in page
    other = html(get(bench, "month", period="2030-11"))
    assert '<option value="2030-11" selected>2030年11月</option>' in other and "下载全部 3 个单位的表格" in other


@pytest.mark.parametrize(
    ("reported", "start", "expected"),
    [
        ((), None, "2030-01"),
        ((), "2030-03", "2030-03"),
        (("2030-05", "2030-07"), None, "2030-08"),
        (("2030-12",), None, "2030-12"),
    ],
)
def test_the_default_month(content, reported, start, expected):
    if start:
        (content / "site.yaml").write_text((content / "site.yaml").read_text() + f"reporting_from: {start}\n")
    for period in reported:
        write_tree(
            content,
            {
                f"updates/reports/{period}/2030-03.md": post(
                    f"title: 助餐\ndate: {period}-20\nkind: report\nprojects: [2030-03]\nsource: 区民政局\n"
                    f"period: {period}\nsubmitted: {period}-20\nstatus: on_track"
                )
            },
        )
    assert str(monthexport.default(Portfolio.build(load.load(content, "content")))) == expected


def test_the_zip_holds_the_forms_form_export_each_unit_writes_the_same_bytes_every_time(bench, tmp_path):
    answer = get(bench, "month/zip", period="2030-06")
    assert answer.status == 200 and answer.content_type == "application/zip"
    name = "%E9%99%84%E4%BB%B62-%E6%8E%A8%E8%BF%9B%E6%83%85%E5%86%B5-2030-06-%E5%90%84%E7%89%B5%E5%A4%B4%E5%8D%95%E4%BD%8D.zip"
    assert dict(answer.headers)["Content-Disposition"] == (
        f"attachment; filename=\"forms-2030-06.zip\"; filename*=UTF-8''{name}"
    )
    assert get(bench, "month/zip", period="2030-06").body == answer.body
    folder = tmp_path / "each"
    folder.mkdir()
    code, _, err = run(
        "form", "export", "--period", "2030-06", "--each-unit", "-o", str(folder), "--content", str(bench.content)
    )
    assert code == 0, err
    with zipfile.ZipFile(io.BytesIO(answer.body)) as archive:
        entries = archive.infolist()
        assert [e.filename for e in entries] == sorted(p.name for p in folder.iterdir())
        assert {e.filename: archive.read(e) for e in entries} == {p.name: p.read_bytes() for p in folder.iterdir()}
        assert {e.date_time for e in entries} == {(1980, 1, 1, 0, 0, 0)}


def test_one_units_form_is_the_one_form_export_writes(bench, tmp_path):
    answer = get(bench, "month/form", period="2030-06", unit="区民政局")
    out = tmp_path / "one.xlsx"
    code, _, err = run(
        "form", "export", "--period", "2030-06", "--unit", "区民政局", "-o", str(out), "--content", str(bench.content)
    )
    assert code == 0, err
    assert answer.status == 200 and answer.body == out.read_bytes()
    assert answer.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for query in (
        {"period": "2030-06", "unit": "区财政局"},
        {"period": "2041-06", "unit": "区民政局"},
        {"unit": "区民政局"},
    ):
        assert get(bench, "month/form", **query).status == 404, query
    assert get(bench, "month/zip", period="2030-13").status == 404


def test_a_month_without_a_project_list_is_said_and_the_default_offered(bench):
    answer = get(bench, "month", period="2041-06")
    assert answer.status == 404
    assert "没有“2041-06”这个月份的项目清单（已有年份：2030）：请在下面选择月份" in html(answer)
    assert '<option value="2030-06" selected>' in html(answer)


def test_content_check_refuses_is_said_and_nothing_offered(bench):
    (bench.content / "projects/2030.csv").write_text("id,seq\n", encoding="utf-8")
    page = html(get(bench, "month"))
    assert "内容文件夹里有问题" in page and "content/projects/2030.csv" in page and "下载全部" not in page


# ---------------------------------------------------------------- the upload and its review


def test_a_bad_cell_is_refused_by_file_and_cell_and_nothing_is_kept_or_written(bench, tmp_path):
    forms = two_forms(bench, tmp_path, toilets="约100")
    before = snapshot(bench.content)
    answer = upload(bench, forms)
    assert answer.status == 422
    cell = cell_of(forms["区城管局.xlsx"], "toilets")
    assert f"<tr><td>区城管局.xlsx</td><td>附件2!{cell}</td><td>{NOT_A_NUMBER}</td></tr>" in html(answer)
    assert "有 1 个问题，没有导入任何表格" in html(answer)
    assert 'action="/_workbench/month/check"' in html(answer)  # upload again, once corrected
    assert 'action="/_workbench/month/import"' not in html(answer)
    assert str(tmp_path / "tmp") not in html(answer)
    assert snapshot(bench.content) == before and not bench.log.exists() and kept(tmp_path) == []


def test_the_review_says_what_would_be_written_and_the_import_waits_for_every_hold(bench, tmp_path):
    forms = two_forms(bench, tmp_path, toilets=100)  # 1000% of its target of 10: held
    before = snapshot(bench.content)
    cli = tmp_path / "cli" / "content"
    shutil.copytree(bench.content, cli)
    review = upload(bench, forms)
    assert review.status == 200, html(review)
    page = html(review)
    cell = cell_of(forms["区城管局.xlsx"], "toilets")
    message = (
        "提示：新建公厕（座）的本月值 100 是目标值 10 的 1000.0%，超过 150%：请核对数值和单位（是否多写了一位，"
        "或用错了单位）；确认无误请在下面勾选这条提示"
    )
    assert f"<strong>区城管局.xlsx 附件2!{cell}</strong>：{message}</p>" in page
    assert f"已核对 区城管局.xlsx 附件2!{cell}，确认无误</label>" in page
    assert "新增的推进情况（2 项）" in page
    assert (
        '<tr><td>1</td><th scope="row">新建公厕</th><td><code>content/updates/reports/2030-06/2030-01.md</code></td></tr>'
        in page
    )
    assert "推进情况为空" not in page  # 3 助餐服务 is on neither form
    assert snapshot(bench.content) == before and len(kept(tmp_path)) == 1
    assert oct(kept(tmp_path)[0].stat().st_mode & 0o777) == "0o700"
    assert sorted(p.name for p in kept(tmp_path)[0].iterdir()) == ["1.xlsx", "2.xlsx", "names.json"]

    unticked = send(bench, "month/import", carried(review))
    assert unticked.status == 422
    assert f"区城管局.xlsx 附件2!{cell}：{UNTICKED}</a>" in html(unticked)
    assert snapshot(bench.content) == before and not bench.log.exists()

    done = send(bench, "month/import", {**carried(review), "hold": holds(review)})
    assert done.status == 200, html(done)
    assert (
        "<li>已写入 content/updates/reports/2030-06/2030-01.md：2030-06 序号 1 新建公厕，报送日期 2030-06-20（表格），按时报送</li>"
        in html(done)
    )
    assert '<a href="/reports/2030-06/">在预览中查看2030年6月的报送情况</a>' in html(done)
    assert kept(tmp_path) == []

    # the very files form import writes, each logged
    paths = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    code, _, err = run("form", "import", *map(str, paths), "--confirm", "--content", str(cli))
    assert code == 0, err
    assert snapshot(bench.content) == snapshot(cli)
    written = sorted(bench.content.glob("updates/reports/2030-06/*.md"))
    assert sorted((line["file"], line["before"], line["after"]) for line in log_lines(bench)) == [
        (f"content/updates/reports/2030-06/{p.name}", None, sha(p.read_bytes())) for p in written
    ]
    assert send(bench, "month/import", {**carried(review), "hold": holds(review)}).status == 410  # sent again


def test_a_correction_shows_its_before_and_after_and_needs_a_reason(bench, tmp_path):
    forms = two_forms(bench, tmp_path)
    first = upload(bench, forms)
    assert send(bench, "month/import", carried(first)).status == 200
    report = bench.content / "updates/reports/2030-06/2030-01.md"
    old = report.read_bytes()
    fill(tmp_path / "a.xlsx", {1: {"values": {"toilets": 7}}})
    forms["区城管局.xlsx"] = (tmp_path / "a.xlsx").read_bytes()
    review = upload(bench, forms)
    page = html(review)
    assert "更正已有的推进情况（1 项）" in page and "与已有内容相同，不会改动（1 项）" in page
    assert '<del><span class="visually-hidden">删除：</span>−  toilets: 6</del>' in page
    assert '<ins><span class="visually-hidden">新增：</span>+  toilets: 7</ins>' in page
    assert '<label for="field-reason">更正原因（必填）</label>' in page

    unexplained = send(bench, "month/import", carried(review))
    assert unexplained.status == 422 and f'<div class="field-error" id="reason-error"><p>{NO_REASON}</p></div>' in html(
        unexplained
    )
    assert report.read_bytes() == old

    done = send(bench, "month/import", {**carried(review), "reason": "单位更正本月值"})
    assert done.status == 200, html(done)
    assert "已更正 content/updates/reports/2030-06/2030-01.md" in html(done)
    assert "    reason: 单位更正本月值\n" in report.read_text(encoding="utf-8")
    assert log_lines(bench)[-1]["before"] == sha(old) and log_lines(bench)[-1]["after"] == sha(report.read_bytes())


def test_the_same_forms_again_write_nothing(bench, tmp_path):
    forms = two_forms(bench, tmp_path)
    assert send(bench, "month/import", carried(upload(bench, forms))).status == 200
    before, logged = snapshot(bench.content), log_lines(bench)
    review = upload(bench, forms)
    assert "与已有内容相同，不会改动（2 项）" in html(review) and "新增的推进情况（0 项）" in html(review)
    done = send(bench, "month/import", carried(review))
    assert "<li>共 2 项推进情况（写入 0 个文件），跳过 0 项。</li>" in html(done)
    assert snapshot(bench.content) == before and log_lines(bench) == logged


def test_rows_left_empty_are_listed_as_not_imported(bench, tmp_path):
    forms = two_forms(bench, tmp_path)
    forms["区民政局.xlsx"] = form_of(bench, "区民政局", {}, tmp_path / "c.xlsx")
    page = html(upload(bench, forms))
    assert "<p>这些项目在表格里没有填推进情况，仍记为未报送：序号 3 助餐服务。</p>" in page
    assert "推进情况为空，不导入（1 项）" in page


def test_the_submitted_field_dates_the_rows_without_a_date(bench, tmp_path):
    forms = {
        "电梯.xlsx": form_of(
            bench, "区住建委", {2: {"推进情况": "进展。", "values": {"lifts": 36}}}, tmp_path / "b.xlsx"
        )
    }
    wrong = upload(bench, forms, submitted="6月20日")
    assert wrong.status == 422 and "报送日期“6月20日”格式不对：应为 YYYY-MM-DD，如 2020-12-20；也可以不填" in html(
        wrong
    )
    assert 'name="submitted" type="date" value="" ' in html(wrong)  # a date field holds a date or nothing
    assert kept(tmp_path) == []
    done = send(bench, "month/import", carried(upload(bench, forms, submitted="2030-06-21")))
    assert "报送日期 2030-06-21（工作台填写的报送日期），按时报送" in html(done)


def test_a_form_of_another_month_is_refused_in_the_workbenchs_words(bench, tmp_path):
    answer = upload(bench, two_forms(bench, tmp_path), period="2030-07")
    assert answer.status == 422
    assert "表头写的是截至6月底，与所选的月份 2030-07 不符" in html(answer)
    assert "--" not in html(answer).split("<main")[1]


def test_files_are_told_by_their_bytes_and_named_as_uploaded(bench, tmp_path):
    forms = {
        "C:\\Users\\科员\\旧表.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        "../../报告.pdf": b"%PDF-1.4\x00\x01binary",
        "空.xlsx": b"",
        "<b>文档.xlsx": zip_of({"word/document.xml": b"<w:document/>"}),
        "x.xlsx\u202e": b"\xff\xfe" + "序号".encode("utf-16-le"),
    }
    answer = upload(bench, forms)
    page = html(answer)
    assert (
        "<tr><td>旧表.xls</td><td>—</td><td>是旧的 .xls 或 .et 格式，不能读取：请在 Excel/WPS 中另存为 .xlsx 后再上传</td></tr>"
        in page
    )
    assert (
        "<tr><td>报告.pdf</td><td>—</td><td>不是 .xlsx 或 .csv 表格（或已损坏）：请在 Excel/WPS 中另存为 .xlsx 后再上传</td></tr>"
        in page
    )
    assert "<tr><td>空.xlsx</td><td>—</td><td>文件是空的：请选择填好的表格</td></tr>" in page
    assert "<tr><td>&lt;b&gt;文档.xlsx</td><td>—</td><td>不是 .xlsx 或 .csv 表格" in page
    assert "<tr><td>x.xlsx\\u202e</td><td>—</td><td>文件是 UTF-16 编码：" in page  # read as CSV, refused there
    assert str(tmp_path) not in page and kept(tmp_path) == []


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_two_files_of_one_name_are_told_apart(bench, tmp_path):
    forms = two_forms(bench, tmp_path, toilets="约100")
    answer = app.answer(
        bench,
        Request(
            "POST",
            "month/check",
            {},
            {},
            {"token": (TOKEN,), "period": ("2030-06",)},
            {"forms": (forms["区城管局.xlsx"], forms["区城管局.xlsx"])},
            {"forms": ("表.xlsx", "表.xlsx")},
        ),
    )
    assert "<tr><td>表.xlsx</td>" in html(answer) and "<tr><td>表.xlsx（第 2 个文件）</td>" in html(answer)


# ---------------------------------------------------------------- what is refused writes nothing


def test_a_get_never_writes_and_a_post_without_the_token_is_refused(bench, tmp_path):
    forms = two_forms(bench, tmp_path)
    before = snapshot(bench.content)
    review = upload(bench, forms)
    for path in ("month/check", "month/import"):
        answer = get(bench, path, **{k: v for k, v in carried(review).items() if k != "token"})
        assert (answer.status, dict(answer.headers)["Allow"]) == (405, "POST"), path
    for path, fields in (("month/check", {"period": "2030-06"}), ("month/import", carried(review))):
        answer = send(bench, path, {k: v for k, v in fields.items() if k != "token"}, forms, token=False)
        assert (answer.status, answer.body.decode()) == (403, UNSIGNED), path
    assert snapshot(bench.content) == before and not bench.log.exists()
    assert len(kept(tmp_path)) == 1  # the review's own, still waiting


def test_nothing_chosen_is_said_beside_the_field(bench):
    answer = send(bench, "month/check", {"period": "2030-06"}, {"": b""})
    assert answer.status == 422
    assert (
        '<div class="field-error" id="forms-error"><p>请先选择填好的表格（可以一次选多个），再点“上传并核对”</p></div>'
        in html(answer)
    )


def test_content_changed_since_the_review_is_reviewed_again(bench, tmp_path):
    review = upload(bench, two_forms(bench, tmp_path))
    elsewhere = post(
        "title: 新建公厕6月\ndate: 2030-06-10\nkind: report\nprojects: [2030-01]\nsource: 区城管局\n"
        "period: 2030-06\nsubmitted: 2030-06-10\nstatus: on_track\nvalues: {toilets: 5, coverage: 70}"
    )
    write_tree(bench.content, {"updates/reports/2030-06/2030-01.md": elsewhere})
    before = snapshot(bench.content)
    again = send(bench, "month/import", {**carried(review), "reason": "x"})
    assert again.status == 422 and CHANGED in html(again)
    assert "更正已有的推进情况（1 项）" in html(again) and carried(again)["seen"] != carried(review)["seen"]
    assert snapshot(bench.content) == before and not bench.log.exists()
    assert send(bench, "month/import", {**carried(again), "reason": "单位更正"}).status == 200


@pytest.mark.parametrize("batch", ["", "../tmp", "0" * 32, "A" * 32])
def test_a_batch_that_is_not_there_writes_nothing(bench, tmp_path, batch):
    review = upload(bench, two_forms(bench, tmp_path))
    before = snapshot(bench.content)
    answer = send(bench, "month/import", {**carried(review), "batch": batch})
    assert answer.status == 410 and GONE in html(answer)
    assert snapshot(bench.content) == before


def test_a_batch_another_user_could_reach_is_not_read(bench, tmp_path):
    review = upload(bench, two_forms(bench, tmp_path))
    (folder,) = kept(tmp_path)
    folder.chmod(0o755)
    assert send(bench, "month/import", carried(review)).status == 410
    folder.chmod(0o700)
    (folder / "1.xlsx").unlink()
    (folder / "1.xlsx").symlink_to(tmp_path / "a.xlsx")
    assert send(bench, "month/import", carried(review)).status == 410
    assert not (bench.content / "updates/reports/2030-06").exists()


def test_a_reports_folder_that_is_a_link_is_refused_before_the_import(bench, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (bench.content / "updates/reports/2030-06").symlink_to(outside, target_is_directory=True)
    answer = upload(bench, two_forms(bench, tmp_path))
    assert answer.status == 422
    assert "所在文件夹链接到内容文件夹以外：请改为普通文件夹后再导入" in html(answer)
    assert list(outside.iterdir()) == [] and not bench.log.exists()


def test_a_reports_folder_linked_inside_the_content_is_not_written_through(bench, tmp_path):
    (bench.content / "elsewhere").mkdir()
    (bench.content / "updates/reports/2030-06").symlink_to(bench.content / "elsewhere", target_is_directory=True)
    answer = upload(bench, two_forms(bench, tmp_path))
    assert answer.status == 422
    assert "updates/reports/2030-06 是链接：工作台只写入内容文件夹里的普通文件夹和文件" in html(answer)
    assert list((bench.content / "elsewhere").iterdir()) == []


def test_batches_nobody_imported_are_removed_after_a_day(bench, tmp_path):
    stale, fresh, foreign = (tmp_path / "tmp" / f"minsheng-month-{c * 32}" for c in "abc")
    for folder in (stale, fresh, foreign):
        folder.mkdir(mode=0o700)
    foreign.chmod(0o755)
    day_ago = time.time() - monthfiles.STALE - 60
    for folder in (stale, foreign):
        os.utime(folder, (day_ago, day_ago))
    upload(bench, two_forms(bench, tmp_path))
    assert not stale.exists() and fresh.exists() and foreign.exists()


def test_a_writer_of_another_stage_writes_through_no_link_and_is_logged(bench, tmp_path):
    """writes.through: each name checked as the workbench's own writes are, each change logged."""
    report = bench.content / "updates/reports/2030-05/2030-01.md"
    old, new = report.read_bytes(), bench.content / "updates/reports/2030-06/2030-01.md"

    def write() -> str:
        new.parent.mkdir(parents=True)
        new.write_bytes(b"new")
        report.write_bytes(b"changed")
        return "done"

    assert writes.through(bench, [report, new], write) == "done"
    assert [(line["file"], line["before"], line["after"]) for line in log_lines(bench)] == [
        ("content/updates/reports/2030-05/2030-01.md", sha(old), sha(b"changed")),
        ("content/updates/reports/2030-06/2030-01.md", None, sha(b"new")),
    ]
    (bench.content / "updates/reports/2030-07").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(writes.Refused) as refused:
        writes.through(bench, [bench.content / "updates/reports/2030-07/2030-01.md"], lambda: pytest.fail("written"))
    assert refused.value.message == (
        "不能写入 updates/reports/2030-07/2030-01.md：updates/reports/2030-07 是链接：工作台只写入内容文件夹里"
        "的普通文件夹和文件，请把它换成普通的文件夹或文件"
    )
    assert len(log_lines(bench)) == 2


def test_a_message_never_names_the_private_copy(bench, tmp_path):
    """Even a message that names a file in its text (a kept file gone before it is read)."""
    folder = tmp_path / "tmp" / "gone"
    batch = monthfiles.Kept("0" * 32, folder, ((folder / "1.xlsx", "区城管局.xlsx"),))
    result = monthplan.review(bench, batch, [], Month(2030, 6), Options(None, False, None, False))
    assert result.refusals == (monthplan.Place("", "", "找不到文件 区城管局.xlsx (no such file)"),)


def test_every_command_line_phrase_the_workbench_rewords_is_still_said_by_the_import() -> None:
    """The workbench says the import's advice in its own words by replacing the command line's
    phrases; a phrase the import no longer says would leave --options on the clerk's screen."""
    from portal import forms as forms_package
    from portal.workbench import monthplan

    source = "".join(p.read_text(encoding="utf-8") for p in Path(forms_package.__file__).parent.glob("*.py"))
    composed = "（--submitted）"  # made by compose.Dated; the summary test above shows its rewording
    for phrase, _ in monthplan.WORDS:
        assert phrase == composed or phrase in source, phrase
