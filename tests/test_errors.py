"""One broken fixture per error kind, each asserting the exact lines `build.py check` prints.

Every test starts from the `content` fixture (a valid 2030 tree) and breaks one thing. The
third project (2030-03) has no indicators, so breaking its row leaves no other message.
Paths are shown as given on the command line; here the tree's folder is replaced by
``content`` so the expected lines read as a clerk sees them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, SITE_YAML, post, run, write_tree

from portal import load

HEADER = "id,seq,name,target,leaders,units,level,voted,category\n"
ROW3 = "2030-03,3,助餐服务,在城市社区开展助餐服务。,李二,区民政局,区级,false,养老\n"
INDICATOR_HEADER = "project,id,name,target,unit,measure,direction\n"
NEWS = "title: 新闻\ndate: 2030-03-01\nkind: news\n"
REPORT = "title: 推进情况\ndate: 2030-03-20\nkind: report\nprojects: [2030-01]\nsubmitted: 2030-03-20\n"
EVALUATION = "title: 满意度测评\ndate: 2030-12-20\nkind: evaluation\n"


def check(content: Path) -> tuple[int, list[str]]:
    """Exit status and the printed lines, the tree's folder shown as ``content``."""
    code, out, err = run("check", "--content", str(content))
    return code, (out + err).replace(str(content), "content").splitlines()


def problems(content: Path) -> list[str]:
    """The problem lines of a failing check, asserting the exit status and the closing count."""
    code, lines = check(content)
    assert code == 1, lines
    *found, summary = lines
    assert summary == f"共 {len(found)} 个问题，未生成任何文件。({len(found)} problem(s))"
    return found


def with_row3(content: Path, row: str) -> Path:
    """The project list with its third row replaced."""
    return write_tree(content, {"projects/2030.csv": PROJECTS_CSV.replace(ROW3, row)})


# ---------------------------------------------------------------- the project list


def test_the_valid_fixture_passes(content: Path) -> None:
    assert check(content) == (0, ["内容无误：3 个项目，0 篇动态"])


def test_seq_not_an_integer(content: Path) -> None:
    with_row3(content, "2030-03,三,助餐服务,开展助餐服务。,李二,区民政局,区级,false,\n")
    assert problems(content) == [
        "content/projects/2030.csv:4:seq: 序号“三”不是整数：从 1 开始的整数，同一年内不重复",
    ]


def test_empty_required_cell(content: Path) -> None:
    with_row3(content, "2030-03,3,助餐服务,,李二,区民政局,区级,false,\n")
    assert problems(content) == ["content/projects/2030.csv:4:target: 目标任务不能为空"]


def test_level_not_in_the_enum(content: Path) -> None:
    with_row3(content, "2030-03,3,助餐服务,开展助餐服务。,李二,区民政局,省级,false,\n")
    assert problems(content) == [
        "content/projects/2030.csv:4:level: 级别“省级”不是可选的值（市级、区级、市（区）级）",
    ]


def test_id_not_matching_the_pattern(content: Path) -> None:
    with_row3(content, "2030-3,3,助餐服务,开展助餐服务。,李二,区民政局,区级,false,\n")
    assert problems(content) == [
        "content/projects/2030.csv:4:id: 编号“2030-3”应为“2030-03”（文件年份-序号）",
        "content/projects/2030.csv:4:id: 编号“2030-3”格式不对：格式为“年份-序号”，如 2020-04（序号补足两位）",
    ]


def test_id_not_year_and_seq(content: Path) -> None:
    with_row3(content, "2031-03,3,助餐服务,开展助餐服务。,李二,区民政局,区级,false,\n")
    assert problems(content) == ["content/projects/2030.csv:4:id: 编号“2031-03”应为“2030-03”（文件年份-序号）"]


def test_duplicate_seq(content: Path) -> None:
    with_row3(content, "2030-03,2,助餐服务,开展助餐服务。,李二,区民政局,区级,false,\n")
    assert problems(content) == [
        "content/projects/2030.csv:4:id: 编号“2030-03”应为“2030-02”（文件年份-序号）",
        "content/projects/2030.csv:4:seq: 序号 2 重复：第 3 行已有",
    ]


def test_duplicate_id(content: Path) -> None:
    with_row3(content, "2030-02,3,助餐服务,开展助餐服务。,李二,区民政局,区级,false,\n")
    assert problems(content) == [
        "content/projects/2030.csv:4:id: 编号“2030-02”应为“2030-03”（文件年份-序号）",
        "content/projects/2030.csv:4:id: 编号“2030-02”重复：第 3 行已有",
    ]


def test_duplicate_id_across_files(content: Path) -> None:
    """A .yaml and a .csv list of the same year: the second is refused as a whole."""
    write_tree(content, {"projects/2030.yaml": "- id: 2030-01\n"})
    assert problems(content) == [
        "content/projects/2030.yaml: 与 2030.csv 重复：同一年份只能有一个（.csv 或 .yaml）",
    ]


@pytest.mark.parametrize(
    ("column", "row"),
    [
        ("units", "2030-03,3,助餐服务,开展助餐服务。,李二,区民政局/区卫健委,区级,false,养老\n"),
        ("leaders", "2030-03,3,助餐服务,开展助餐服务。,../李二,区民政局,区级,false,养老\n"),
        ("category", "2030-03,3,助餐服务,开展助餐服务。,李二,区民政局,区级,false,养老/助残\n"),
    ],
)
def test_names_that_become_page_addresses(column: str, row: str, content: Path) -> None:
    """Units, leaders and categories each name a page (units/<单位>/…): no path may hide in them."""
    with_row3(content, row)
    (value,) = [cell for cell in row.strip().split(",") if "/" in cell]
    assert problems(content) == [
        f"content/projects/2030.csv:4:{column}: “{value}”不能用作网址：含有路径字符（/ \\ % 或 ..）",
    ]


def test_unknown_column(content: Path) -> None:
    write_tree(content, {"projects/2030.csv": PROJECTS_CSV.replace("category\n", "colour\n", 1)})
    assert problems(content) == [
        "content/projects/2030.csv:1: 未知的列名“colour”（第 I 列）；可用的列名：id（编号）、seq（序号）、"
        "name（项目名称）、target（目标任务）、leaders（牵头领导）、units（牵头单位）、level（级别）、"
        "voted（人大票决）、category（领域）",
    ]


def test_duplicate_column_by_name_and_title(content: Path) -> None:
    write_tree(content, {"projects/2030.csv": PROJECTS_CSV.replace("category\n", "项目名称\n", 1)})
    assert problems(content) == ["content/projects/2030.csv:1: 列名“项目名称”重复：第 C 列和第 I 列"]


def test_missing_required_column_said_once(content: Path) -> None:
    """Not again as an empty cell in every row."""
    without_level = [line.replace(",区级,", ",").replace(",市级,", ",") for line in PROJECTS_CSV.splitlines()]
    without_level[0] = without_level[0].replace(",level,", ",")
    write_tree(content, {"projects/2030.csv": "\n".join(without_level) + "\n"})
    assert problems(content) == ["content/projects/2030.csv:1: 缺少必填的列“level”（级别）"]


def test_blank_header_over_data(content: Path) -> None:
    table = PROJECTS_CSV.replace("category\n", "category,\n", 1).replace(ROW3, ROW3.rstrip("\n") + ",备注\n")
    write_tree(content, {"projects/2030.csv": table})
    assert problems(content) == ["content/projects/2030.csv:1: 第 J 列有内容但没有列名"]


def test_blank_header_over_blank_cells_is_fine(content: Path) -> None:
    table = PROJECTS_CSV.replace("\n", ",\n")  # Excel's trailing empty column
    write_tree(content, {"projects/2030.csv": table})
    assert check(content)[0] == 0


def test_extra_cell_beyond_the_header(content: Path) -> None:
    with_row3(content, ROW3.rstrip("\n") + ",多出的一格\n")
    assert problems(content) == ["content/projects/2030.csv:4: 第 J 列有内容，但表头没有这一列"]


def test_gb18030_csv_is_read(content: Path) -> None:
    plain = load.load(content, "content")
    write_tree(content, {"projects/2030.csv": PROJECTS_CSV.encode("gb18030")})
    assert check(content) == (0, ["内容无误：3 个项目，0 篇动态"])
    assert load.load(content, "content") == plain
    assert {p.name for p in plain.projects} == {"新建公厕", "老旧小区加装电梯", "助餐服务"}


def test_utf8_bom_csv_reads_as_plain(content: Path) -> None:
    plain = load.load(content, "content")
    write_tree(content, {"projects/2030.csv": b"\xef\xbb\xbf" + PROJECTS_CSV.encode("utf-8")})
    assert check(content) == (0, ["内容无误：3 个项目，0 篇动态"])
    assert load.load(content, "content") == plain


def test_undecodable_bytes(content: Path) -> None:
    data = INDICATORS_CSV.encode("utf-8") + b"2030-02,x,\xff\xfe\xff,1,\xe5,cumulative,\n"
    write_tree(content, {"projects/2030-indicators.csv": data})
    assert problems(content) == [
        "content/projects/2030-indicators.csv:5: 无法识别文件编码（既不是 UTF-8 也不是 GB18030）："
        "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”",
    ]


def test_utf16_is_named(content: Path) -> None:
    write_tree(content, {"projects/2030-indicators.csv": INDICATORS_CSV.encode("utf-16")})
    assert problems(content) == [
        "content/projects/2030-indicators.csv: 文件是 UTF-16 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
    ]


def test_unclosed_csv_quote(content: Path) -> None:
    write_tree(content, {"projects/2030-indicators.csv": INDICATORS_CSV + '2030-02,x,"加装,1,台,cumulative,\n'})
    assert problems(content) == [
        "content/projects/2030-indicators.csv:5: CSV 格式错误（引号不成对？）：unexpected end of data",
    ]


# ---------------------------------------------------------------- indicators


def test_indicator_of_a_missing_project(content: Path) -> None:
    write_tree(content, {"projects/2030-indicators.csv": INDICATORS_CSV + "2030-09,x,某指标,1,个,cumulative,\n"})
    assert problems(content) == [
        "content/projects/2030-indicators.csv:5:project: 项目编号“2030-09”不在 2030 年的项目清单中",
    ]


def test_indicator_of_an_invalid_project_row_is_not_blamed_twice(content: Path) -> None:
    with_row3(content, "2030-03,3,助餐服务,开展助餐服务。,李二,区民政局,省级,false,\n")
    write_tree(content, {"projects/2030-indicators.csv": INDICATORS_CSV + "2030-03,meals,助餐点,5,个,cumulative,\n"})
    assert problems(content) == [
        "content/projects/2030.csv:4:level: 级别“省级”不是可选的值（市级、区级、市（区）级）",
    ]


def test_duplicate_indicator_id(content: Path) -> None:
    write_tree(content, {"projects/2030-indicators.csv": INDICATORS_CSV + "2030-02,lifts,加装电梯,5,台,cumulative,\n"})
    assert problems(content) == [
        "content/projects/2030-indicators.csv:5:id: 指标编号“lifts”在项目 2030-02 中重复：第 4 行已有",
    ]


def test_indicator_targets_as_clerks_write_them(content: Path) -> None:
    rows = '2030-03,a,助餐点,约100,个,cumulative,\n2030-03,b,助餐点,"12,3",个,cumulative,\n2030-03,c,助餐点,１２,个,cumulative,\n'
    write_tree(content, {"projects/2030-indicators.csv": INDICATORS_CSV + rows})
    hint = "纯数字，如 18 或 6.977（不写“约”、单位或千位逗号）"
    assert problems(content) == [
        f"content/projects/2030-indicators.csv:5:target: 目标值“约100”不是数字：{hint}",
        f"content/projects/2030-indicators.csv:6:target: 目标值“12,3”不是数字：{hint}",
    ]


def test_full_width_digits_are_read_as_the_number(content: Path) -> None:
    write_tree(content, {"projects/2030-indicators.csv": INDICATORS_CSV + "2030-03,c,助餐点,１２,个,cumulative,\n"})
    assert check(content)[0] == 0
    (meals,) = [i for i in load.load(content).indicators if i.id == "c"]
    assert meals.target == 12


# ---------------------------------------------------------------- site.yaml


def test_site_yaml_unknown_key(content: Path) -> None:
    write_tree(content, {"site.yaml": SITE_YAML + "theme: red\n"})
    assert problems(content) == [
        "content/site.yaml:11:theme: 未知的设置项“theme”（可用的有：as_of、base_url、contact、demo、description、"
        "feedback、gov_badge、icp、language、operator、organizer、police_record、publisher、report_due_day、"
        "report_errors、reporting_from、site_code、site_url、title）",
    ]


def test_site_yaml_missing_required_key(content: Path) -> None:
    write_tree(content, {"site.yaml": SITE_YAML.replace("publisher: 测试区人民政府办公室\n", "")})
    assert problems(content) == ["content/site.yaml:1:publisher: 发布单位不能为空"]


def test_site_yaml_missing(content: Path) -> None:
    (content / "site.yaml").unlink()
    assert problems(content) == ["content/site.yaml: 找不到站点设置文件 site.yaml"]


# ---------------------------------------------------------------- front matter


def test_front_matter_without_closing_line(content: Path) -> None:
    write_tree(content, {"updates/a.md": "---\n" + NEWS + "正文。\n"})
    assert problems(content) == ["content/updates/a.md:1: 前置信息没有结束：缺少第二个 --- 行"]


def test_front_matter_unclosed_quote_names_the_line_it_opens(content: Path) -> None:
    write_tree(content, {"updates/a.md": post('date: 2030-03-01\ntitle: "新闻\nkind: news')})
    assert problems(content) == ["content/updates/a.md:3: YAML 格式错误：引号没有闭合"]


def test_front_matter_tab_indentation(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(NEWS + "projects:\n\t- 2030-01")})
    assert problems(content) == ["content/updates/a.md:6: YAML 格式错误：含有 Tab 字符：YAML 只能用空格缩进"]


def test_front_matter_duplicate_key(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(NEWS + "title: 另一个标题")})
    assert problems(content) == ["content/updates/a.md:5:title: 重复的键（第 2 行已有）"]


def test_title_no_stays_the_string_no(content: Path) -> None:
    write_tree(content, {"updates/a.md": post("title: no\ndate: 2030-03-01\nkind: news")})
    assert check(content)[0] == 0
    (update,) = load.load(content).updates
    assert update.title == "no"


def test_leading_zeros_are_kept(content: Path) -> None:
    write_tree(content, {"updates/a.md": post("title: 0012\ndate: 2030-03-01\nkind: news\ndocument_number: 007")})
    assert check(content)[0] == 0
    (update,) = load.load(content).updates
    assert (update.title, update.document_number) == ("0012", "007")


def test_impossible_date(content: Path) -> None:
    write_tree(content, {"updates/a.md": post("title: 新闻\ndate: 2020-02-30\nkind: news")})
    assert problems(content) == [
        "content/updates/a.md:3:date: 发布日期“2020-02-30”不是有效日期（YYYY-MM-DD）：格式为 YYYY-MM-DD，如 2020-06-02",
    ]


def test_date_written_in_chinese(content: Path) -> None:
    write_tree(content, {"updates/a.md": post("title: 新闻\ndate: 2020年3月\nkind: news")})
    assert problems(content) == [
        "content/updates/a.md:3:date: 发布日期“2020年3月”不是有效日期（YYYY-MM-DD）：格式为 YYYY-MM-DD，如 2020-06-02",
    ]


def test_yaml_tag_is_refused_and_never_run(content: Path, tmp_path: Path) -> None:
    witness = tmp_path / "ran"
    write_tree(
        content,
        {
            "updates/a.md": post(
                f"title: !!python/object/apply:os.system ['touch {witness}']\ndate: 2030-03-01\nkind: news"
            )
        },
    )
    assert problems(content) == [
        "content/updates/a.md:2: 不允许使用 YAML 标签 tag:yaml.org,2002:python/object/apply:os.system",
    ]
    assert not witness.exists()


def test_yaml_alias_is_refused(content: Path) -> None:
    write_tree(content, {"updates/a.md": post("title: &name 新闻\ndate: 2030-03-01\nkind: news\nsource: *name")})
    assert problems(content) == ["content/updates/a.md:2: 不支持 YAML 锚点和别名（&name / *name）"]


def test_unknown_front_matter_key(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(NEWS + "author: 张三")})
    assert problems(content) == ["content/updates/a.md:5:author: 未知的字段“author”"]


def test_unknown_kind(content: Path) -> None:
    write_tree(content, {"updates/a.md": post("title: 新闻\ndate: 2030-03-01\nkind: blog")})
    assert problems(content) == [
        "content/updates/a.md:4:kind: 类型“blog”不是可选的值"
        "（report、news、inspection、bulletin、assessment、evaluation、notice）",
    ]


# ---------------------------------------------------------------- reports


def test_report_without_period(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(REPORT)})
    assert problems(content) == ["content/updates/a.md:2:period: 截至月份不能为空"]


def test_report_period_outside_its_project_year(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(REPORT + "period: 2029-12")})
    assert problems(content) == [
        "content/updates/a.md:7:period: 截至月份 2029-12 不在项目 2030-01 的年度（2030 年）内",
    ]


def test_report_submitted_before_its_month(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(REPORT + "period: 2030-04")})
    assert problems(content) == ["content/updates/a.md:6:submitted: 报送日期 2030-03-20 早于所报月份 2030-04"]


def test_values_with_an_unknown_indicator(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(REPORT + "period: 2030-03\nvalues:\n  lifts: 3")})
    assert problems(content) == ["content/updates/a.md:9:values.lifts: 项目 2030-01 没有指标“lifts”"]


def test_values_not_a_number(content: Path) -> None:
    front = REPORT + "period: 2030-03\nvalues:\n  toilets: 约3\n  coverage: 1,180"
    write_tree(content, {"updates/a.md": post(front)})
    assert problems(content) == [
        "content/updates/a.md:9:values.toilets: 指标完成值“约3”不是数字：只写数字，如 12 或 6.5",
        "content/updates/a.md:10:values.coverage: 指标完成值“1,180”不是数字：只写数字，如 12 或 6.5",
    ]


def test_two_reports_for_one_project_and_month(content: Path) -> None:
    write_tree(
        content,
        {
            "updates/reports/2030-03/2030-01.md": post(REPORT + "period: 2030-03"),
            "updates/reports/2030-03/again.md": post(REPORT + "period: 2030-03"),
        },
    )
    assert problems(content) == [
        "content/updates/reports/2030-03/again.md:7:period: 项目 2030-01 的 2030-03 月度推进情况重复："
        "content/updates/reports/2030-03/2030-01.md 已有",
    ]


def test_report_of_two_projects(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(REPORT.replace("[2030-01]", "[2030-01, 2030-02]") + "period: 2030-03")})
    assert problems(content) == ["content/updates/a.md:5:projects: 月度推进情况须关联且只关联一个项目"]


def test_post_linking_a_missing_project(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(NEWS + "projects: [2030-01, 2030-09]")})
    assert problems(content) == ["content/updates/a.md:5:projects: 关联项目“2030-09”不存在"]


# ---------------------------------------------------------------- evaluations


def votes(satisfied: str, basically: str, dissatisfied: str, more: str = "") -> str:
    return (
        f"votes:\n  satisfied: {satisfied}\n  basically_satisfied: {basically}\n  dissatisfied: {dissatisfied}\n{more}"
    )


def test_evaluation_of_a_project_not_voted(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(EVALUATION + "projects: [2030-01]\n" + votes("40", "5", "1"))})
    assert problems(content) == [
        "content/updates/a.md:5:projects: 项目 2030-01 不是人大票决项目（voted 不为 true），不能有满意度测评",
    ]


def test_evaluation_votes_not_adding_up(content: Path) -> None:
    front = EVALUATION + "projects: [2030-02]\n" + votes("40", "5", "1", "  abstained: 2\n  total: 50")
    write_tree(content, {"updates/a.md": post(front)})
    assert problems(content) == ["content/updates/a.md:6:votes.total: 总票数 50 与各项之和 48 不符"]


def test_negative_votes(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(EVALUATION + "projects: [2030-02]\n" + votes("40", "-5", "1"))})
    assert problems(content) == ["content/updates/a.md:8:basically_satisfied: 基本满意“-5”不能小于 0"]


def test_evaluation_without_votes(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(EVALUATION + "projects: [2030-02]")})
    assert problems(content) == [
        "content/updates/a.md:2:votes: 满意度测评须有 votes（satisfied、basically_satisfied、dissatisfied，可选 abstained）",
    ]


def test_a_valid_evaluation_passes(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(EVALUATION + "projects: [2030-02]\n" + votes("40", "5", "1"))})
    assert check(content) == (0, ["内容无误：3 个项目，1 篇动态"])


# ---------------------------------------------------------------- file names


def test_file_names_differing_only_by_case(content: Path) -> None:
    write_tree(content, {"updates/News.md": post(NEWS), "updates/news.md": post(NEWS)})
    assert problems(content) == [
        "content/updates/news.md: 与 content/updates/News.md 会生成同一个网页（文件名只差大小写或写法）",
    ]


def test_windows_device_name(content: Path) -> None:
    write_tree(content, {"updates/con.md": post(NEWS)})
    assert problems(content) == ["content/updates/con.md: 文件名不能用作网址：是 Windows 保留的设备名"]


def test_symlink_out_of_content_is_refused(content: Path, tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "elsewhere", {"secret.md": post(NEWS)}) / "secret.md"
    (content / "updates").mkdir()
    os.symlink(outside, content / "updates" / "linked.md")
    assert problems(content) == ["content/updates/linked.md: 链接指向 content 文件夹以外，不予读取"]


def test_symlink_inside_content_is_read(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(NEWS)})
    os.symlink(content / "updates" / "a.md", content / "updates" / "b.md")
    assert check(content) == (0, ["内容无误：3 个项目，2 篇动态"])


def test_draft_is_validated_but_not_published(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(NEWS + "draft: true")})
    assert check(content) == (0, ["内容无误：3 个项目，0 篇动态"])
    write_tree(content, {"updates/a.md": post("title: 新闻\ndate: 2030-13-01\nkind: news\ndraft: true")})
    assert problems(content) == [
        "content/updates/a.md:3:date: 发布日期“2030-13-01”不是有效日期（YYYY-MM-DD）：格式为 YYYY-MM-DD，如 2020-06-02",
    ]


# ---------------------------------------------------------------- all at once


def test_every_problem_of_a_run_is_listed_at_once(content: Path) -> None:
    with_row3(content, "2030-03,3,助餐服务,开展助餐服务。,李二,区民政局,省级,false,\n")
    write_tree(
        content,
        {
            "site.yaml": SITE_YAML + "theme: red\n",
            "projects/2030-indicators.csv": INDICATORS_CSV + "2030-09,x,某指标,1,个,cumulative,\n",
            "updates/a.md": post("title: 新闻\ndate: 2020年3月\nkind: news"),
            "updates/b.md": post(NEWS + "projects: [2030-08]"),
            "updates/c.md": post(REPORT),
        },
    )
    found = problems(content)
    assert [line.split(":", 1)[0] for line in found] == [
        "content/projects/2030-indicators.csv",
        "content/projects/2030.csv",
        "content/site.yaml",
        "content/updates/a.md",
        "content/updates/b.md",
        "content/updates/c.md",
    ]


# ---------------------------------------------------------------- the command line


def test_unknown_subcommand_is_wrong_usage(content: Path) -> None:
    code, out, err = run("publish", "--content", str(content))
    assert code == 2
    assert "用法错误 (usage error)" in err
    assert "Traceback" not in err


def test_missing_content_folder_is_wrong_usage(tmp_path: Path) -> None:
    code, out, err = run("check", "--content", str(tmp_path / "nowhere"))
    assert (code, err) == (2, f"build.py: 找不到内容文件夹 {tmp_path / 'nowhere'} (no such content folder)\n")


def test_content_option_without_a_folder_is_wrong_usage() -> None:
    code, _, err = run("check", "--content")
    assert code == 2
    assert "--content" in err


@pytest.mark.parametrize("verbose", [False, True])
def test_traceback_only_with_v(content: Path, verbose: bool) -> None:
    write_tree(content, {"updates/a.md": post(NEWS + "author: 张三")})
    code, _, err = run(*(["-v"] if verbose else []), "check", "--content", str(content))
    assert code == 1
    assert ("Traceback (most recent call last)" in err) == verbose
    assert f"{content}/updates/a.md:5:author: 未知的字段“author”" in err


def test_a_post_linking_an_invalid_project_row_is_not_blamed_twice(content):
    """The invalid row is the one problem; the post that links it is not told the project is missing."""
    rows = (content / "projects/2030.csv").read_text(encoding="utf-8").replace(",区级,false,养老", ",省级,false,养老")
    (content / "projects/2030.csv").write_text(rows, encoding="utf-8")
    write_tree(
        content, {"updates/news/a.md": post("title: 助餐\ndate: 2030-03-01\nkind: news\nprojects: [2030-03, 2030-99]")}
    )
    code, _, err = run("check", "--content", str(content))
    assert code == 1
    assert f"{content}/projects/2030.csv:4:level: 级别“省级”不是可选的值（市级、区级、市（区）级）" in err
    assert "关联项目“2030-03”不存在" not in err
    assert f"{content}/updates/news/a.md:5:projects: 关联项目“2030-99”不存在" in err


def test_posts_read_across_cores_give_the_same_problems(content, tmp_path, monkeypatch):
    """A whole build reads the posts in worker processes: every problem comes back, located,
    exactly as a one-process read finds them, and nothing is written."""
    from portal.load import markup

    monkeypatch.setattr(markup, "PARALLEL_FROM", 1)  # the fixture's posts are few: across cores all the same
    write_tree(
        content,
        {
            "updates/news/a.md": post(NEWS + "author: 张三"),
            "updates/news/b.md": "no front matter\n",
            "updates/news/c.md": "---\ntitle: [unclosed\n---\n",
            "updates/news/d.md": post(NEWS, "![](missing.jpg)"),
            "updates/news/e.md": post(NEWS),
        },
    )
    printed = {}
    for jobs in ("1", "2"):
        code, _, err = run("build", "--content", str(content), "--out", str(tmp_path / f"site{jobs}"), "--jobs", jobs)
        assert code == 1
        assert not (tmp_path / f"site{jobs}").exists()
        printed[jobs] = err.replace(str(content), "content")
    assert printed["2"] == printed["1"]
    assert "content/updates/news/a.md:5:author: 未知的字段“author”" in printed["2"]
    assert "content/updates/news/b.md:1: 文章应以 --- 开头的前置信息（front matter）开始" in printed["2"]
    assert "content/updates/news/d.md" in printed["2"]
