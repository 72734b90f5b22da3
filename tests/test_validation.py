"""Hostile input, round two (issue 18): months, years and numbers read one way; no invisible
control character reaches a page or a feed; no invisible or look-alike name becomes an address."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, SITE_YAML, post, run, write_tree

from portal.errors import Problem
from portal.load import chars, tables, yamlsafe
from portal.model import records as model
from portal.model.records import Month
from portal.paths import SCHEMA_DIR, segment_problem


def problems(content: Path) -> list[str]:
    """The problem lines of a failing `check`, the tree's folder shown as ``content``."""
    code, out, err = run("check", "--content", str(content))
    *found, summary = (out + err).replace(str(content), "content").splitlines()
    assert code == 1, found + [summary]
    assert summary == f"共 {len(found)} 个问题，未生成任何文件。({len(found)} problem(s))"
    return found


# ---------------------------------------------------------------- months, years, numbers


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2020-13", "月份应为 01–12"),
        ("2020-00", "月份应为 01–12"),
        ("9999-12", "年份应在 2000–2099 之间"),
        ("1999-12", "年份应在 2000–2099 之间"),
        ("2100-01", "年份应在 2000–2099 之间"),
        ("2020-6", "应写成 YYYY-MM，如 2020-06"),
        ("٢٠٢٠-06", "应写成 YYYY-MM，如 2020-06"),  # Arabic-Indic digits: int() would take them
        ("9" * 5000, "应写成 YYYY-MM，如 2020-06"),
    ],
)
def test_month_parse_refuses_what_is_no_month(text, reason):
    with pytest.raises(ValueError) as caught:
        Month.parse(text)
    assert str(caught.value) == reason


def test_month_parse_reads_months_of_the_years_content_may_speak_of():
    assert [Month.parse(t) for t in ("2000-01", "2099-12", " ２０２０－０６ ")] == [
        Month(2000, 1),
        Month(2099, 12),
        Month(2020, 6),
    ]
    assert Month.parse("2099-12").next().first_day().year == 2100  # the last month still has a next one


@pytest.mark.parametrize(
    "parse, text, reason",
    [
        ("parse_integer", "9" * 5000, "位数太多（最多 15 位）"),  # never int() of 5,000 digits
        ("parse_integer", "1.5", "应为整数，如 12"),
        ("parse_integer", "٣", "应为整数，如 12"),
        ("parse_number", "9" * 40, "位数太多（最多 15 位有效数字）"),
        ("parse_number", "1e5", "不是数字：只写数字，如 12 或 6.5"),
        ("parse_number", "约100", "不是数字：只写数字，如 12 或 6.5"),
    ],
)
def test_numbers_have_a_bounded_length(parse, text, reason):
    with pytest.raises(ValueError) as caught:
        getattr(model, parse)(text)
    assert str(caught.value) == reason


def test_numbers_as_a_clerk_writes_them():
    assert [model.parse_integer(t) for t in ("12", " ０１２ ", "0" * 40 + "7")] == [12, 12, 7]
    assert [model.parse_number(t) for t in ("6.977", "-3", ".5", "１２.５", "999999999999999")] == [
        Decimal("6.977"),
        Decimal(-3),
        Decimal("0.5"),
        Decimal("12.5"),
        Decimal("999999999999999"),
    ]


def test_the_schemas_read_months_as_month_parse_does():
    """The schemas' period patterns are what frictionless checks: the same months as Month.parse."""
    texts = [f"{y:04d}-{m:02d}" for y in (0, 1999, 2000, 2030, 2099, 2100, 9999) for m in range(14)]
    fields = [("report", "period"), ("site", "reporting_from")]
    for schema, name in fields:
        pattern = next(f for f in tables.load_schema(SCHEMA_DIR / f"{schema}.schema.yaml").fields if f.name == name)
        for text in texts:
            try:
                Month.parse(text)
                parsed = True
            except ValueError:
                parsed = False
            assert bool(re.fullmatch(pattern.constraints["pattern"], text)) == parsed, (schema, text)
    assert (model.YEARS[0], model.YEARS[-1]) == (2000, 2099)


def test_site_settings_that_cannot_be_meant(content):
    write_tree(
        content,
        {
            "site.yaml": SITE_YAML.replace("https://example.gov.cn", "https://a..example.gov.cn").replace(
                "base_url: /", "base_url: /a/../../b/"
            )
            + "as_of: 9999-12-31\nreporting_from: 1999-12\n"
        },
    )
    assert problems(content) == [
        "content/site.yaml:3:site_url: 站点地址“https://a..example.gov.cn”的域名不对："
        "应为 www.ybq.gov.cn 这样，每段是字母、数字或连字符",
        "content/site.yaml:4:base_url: 站点路径“/a/../../b/”不能含有 . 或 .. 这样的段：请写成 / 或 /minsheng/ 这样",
        "content/site.yaml:11:as_of: 数据截至日期“9999-12-31”不对：年份应在 2000–2099 之间",
        "content/site.yaml:12:reporting_from: 首个报送月份“1999-12”格式不对：格式为 YYYY-MM，如 2020-01（年份在 2000–2099 之间）",
    ]
    write_tree(content, {"site.yaml": SITE_YAML.replace("https://example.gov.cn", "https://example.gov.cn:99999")})
    assert problems(content) == [
        "content/site.yaml:3:site_url: 站点地址“https://example.gov.cn:99999”的端口不对：应在 1–65535 之间"
    ]


def test_a_project_list_of_a_year_past_2099_is_refused(content):
    write_tree(content, {"projects/9999.csv": PROJECTS_CSV.replace("2030-", "9999-")})
    assert problems(content) == [
        f"content/projects/9999.csv:{n}:id: 编号“9999-0{n - 1}”格式不对：格式为“年份-序号”，如 2020-04（序号补足两位）"
        for n in (2, 3, 4)
    ]


def test_numbers_in_the_tables_are_bounded(content):
    write_tree(
        content,
        {
            "projects/2030.csv": PROJECTS_CSV.replace("2030-03,3,", "2030-1000,1000,"),
            "projects/2030-indicators.csv": INDICATORS_CSV.replace("lifts,加装电梯,120,", "lifts,加装电梯,Infinity,"),
        },
    )
    assert problems(content) == [
        "content/projects/2030-indicators.csv:4:target: 目标值“Infinity”不能大于 999999999999999",
        "content/projects/2030.csv:4:id: 编号“2030-1000”格式不对：格式为“年份-序号”，如 2020-04（序号补足两位）",
        "content/projects/2030.csv:4:seq: 序号“1000”不能大于 999",
    ]


# ---------------------------------------------------------------- control characters


def test_control_characters_in_front_matter_are_refused_with_line_and_character(content):
    write_tree(
        content,
        {
            "updates/news/a.md": post('title: "清屏\\e[2J"\ndate: 2030-03-01\nkind: news\nsource: "\\x07响铃"'),
            "updates/news/b.md": post("title: 正常\ndate: 2030-03-01\nkind: news\nsource: 复制\x1b[31m来的"),
            "updates/news/c.md": post("title: 分隔\u2028符\ndate: 2030-03-01\nkind: news\nsummary: 终\ufffe止"),
        },
    )
    said = "：请删去（常由复制粘贴带入）"
    assert problems(content) == [
        f"content/updates/news/a.md:2:title: 含有不可见的控制字符 U+001B{said}",
        f"content/updates/news/a.md:5:source: 含有不可见的控制字符 U+0007{said}",
        f"content/updates/news/b.md:5: 含有不可见的控制字符 U+001B{said}",
        f"content/updates/news/c.md:2: 含有不可见的控制字符 U+2028{said}",
        f"content/updates/news/c.md:5: 含有不可见的控制字符 U+FFFE{said}",
    ]


def test_control_characters_in_a_body_are_found_line_by_line():
    body = "第一段\n带\x1b[2J清屏和\x07响铃\n\n\x85下一行\ufdd0\n正常\u2028分行"
    said = "：请删去（常由复制粘贴带入）"
    assert chars.problems(body, "a.md", first_line=6) == [
        Problem("a.md", 7, None, f"含有不可见的控制字符 U+001B、U+0007{said}"),
        Problem("a.md", 9, None, f"含有不可见的控制字符 U+0085、U+FDD0{said}"),
    ]
    assert chars.problems("制表\t符、换行\r\n和\n正文\u2029", "a.md") == []  # tab, CR, LF and U+2029 are text


def test_yaml_tables_and_settings_refuse_control_characters_too():
    with pytest.raises(yamlsafe.YamlError) as caught:
        yamlsafe.load('- name: "a\\0b"\n  list: ["ok", "\\u009b"]', "t.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "t.yaml:1:name: 含有不可见的控制字符 U+0000：请删去（常由复制粘贴带入）",
        "t.yaml:2:list: 含有不可见的控制字符 U+009B：请删去（常由复制粘贴带入）",
    ]


# ---------------------------------------------------------------- names that become addresses


@pytest.mark.parametrize(
    "name, reason",
    [
        ("ㅤ", "含有看不见或不能用于网址的字符 U+3164（HANGUL FILLER）"),
        ("新闻\u115f稿", "含有看不见或不能用于网址的字符 U+115F（HANGUL CHOSEONG FILLER）"),
        ("\uffa0", "含有看不见或不能用于网址的字符 U+FFA0（HALFWIDTH HANGUL FILLER）"),
        ("区\u200b教委", "含有看不见或不能用于网址的字符 U+200B（ZERO WIDTH SPACE）"),
        ("区\u3000教委", "含有看不见或不能用于网址的字符 U+3000（IDEOGRAPHIC SPACE）"),
        ("\u2800", "只能由文字、数字、连字符、下划线和点组成，且以文字或数字开头"),
        (
            "2020-06-12-p\u0430rk",
            "混用了拉丁字母、西里尔字母：其中“\u0430”是 U+0430（CYRILLIC SMALL LETTER A），看起来与拉丁字母“a”一样，请只用一种文字",
        ),
        ("区\u0430б", "混用了汉字、西里尔字母：网址里只有汉字与拉丁字母（或假名、注音、谚文）可以混用，请只用一种文字"),
    ],
)
def test_invisible_and_look_alike_names_are_refused(name, reason):
    assert segment_problem(name) == reason


@pytest.mark.parametrize(
    "name", ["区住建委", "2020-06-12-news-盘溪河", "PM2.5监测", "Москва", "ｱイ-区", "〇々", "2020-新闻（一）", "王·一"]
)
def test_names_as_they_are_written_stay_allowed(name):
    assert segment_problem(name) is None


def test_invisible_and_look_alike_names_publish_no_address(content):
    write_tree(
        content,
        {
            "projects/2030.csv": PROJECTS_CSV.replace(
                "2030-03,3,助餐服务,在城市社区开展助餐服务。,李二,",
                "2030-03,3,助餐服务,在城市社区开展助餐服务。,李二、王ㅤ,",
            ),
            "updates/news/ㅤ.md": post("title: 看不见的网址\ndate: 2030-03-01\nkind: news"),
            "updates/news/park.md": post("title: 公园\ndate: 2030-03-01\nkind: news"),
            "updates/news/p\u0430rk.md": post("title: 假公园\ndate: 2030-03-01\nkind: news"),
            "updates/news/2030-03-02-news-盘溪河.md": post("title: 盘溪河\ndate: 2030-03-02\nkind: news"),
        },
    )
    assert problems(content) == [
        "content/projects/2030.csv:4:leaders: “王ㅤ”不能用作网址：含有看不见或不能用于网址的字符 U+3164（HANGUL FILLER）",
        "content/updates/news/p\u0430rk.md: 文件名不能用作网址：混用了拉丁字母、西里尔字母："
        "其中“\u0430”是 U+0430（CYRILLIC SMALL LETTER A），看起来与拉丁字母“a”一样，请只用一种文字",
        "content/updates/news/ㅤ.md: 文件名不能用作网址：含有看不见或不能用于网址的字符 U+3164（HANGUL FILLER）",
    ]


# ---------------------------------------------------------------- wired into load, forms and tables

REPORT = "title: 推进情况\ndate: 2030-07-01\nkind: report\nprojects: [2030-01]\nsubmitted: 2030-07-01\n"


def test_no_month_date_or_number_content_writes_ends_in_a_traceback(content):
    write_tree(
        content,
        {
            "updates/reports/a.md": post(REPORT + "period: 2030-13"),
            "updates/reports/b.md": post(REPORT.replace("2030-01", "2030-02") + "period: 2030-00"),
            "updates/reports/c.md": post(REPORT.replace("2030-01", "2030-03") + "period: 9999-12"),
            "updates/reports/d.md": post(
                REPORT.replace("2030-07-01", "2030-08-01") + "period: 2030-07\nvalues:\n  toilets: " + "9" * 40
            ),
            "updates/news/e.md": post("title: 远方\ndate: 9999-12-31\nkind: news"),
        },
    )
    hint = "格式为 YYYY-MM，如 2020-06（截至该月底；年份在 2000–2099 之间）"
    assert problems(content) == [
        "content/updates/news/e.md:3:date: 发布日期“9999-12-31”不对：年份应在 2000–2099 之间",
        f"content/updates/reports/a.md:7:period: 截至月份“2030-13”格式不对：{hint}",
        f"content/updates/reports/b.md:7:period: 截至月份“2030-00”格式不对：{hint}",
        f"content/updates/reports/c.md:7:period: 截至月份“9999-12”格式不对：{hint}",
        f"content/updates/reports/d.md:9:values.toilets: 指标完成值“{'9' * 40}”位数太多（最多 15 位有效数字）",
    ]


def test_control_characters_in_a_body_or_a_table_are_refused(content):
    write_tree(
        content,
        {
            "projects/2030.csv": PROJECTS_CSV.replace("助餐服务,在", "助餐\x1b[2J服务,在"),
            "updates/news/a.md": post("title: 正文\ndate: 2030-03-01\nkind: news", "第一段\n\n清屏\x1b[2J了\x07"),
        },
    )
    said = "：请删去（常由复制粘贴带入）"
    assert problems(content) == [
        f"content/projects/2030.csv:4:name: 含有不可见的控制字符 U+001B{said}",
        f"content/updates/news/a.md:8: 含有不可见的控制字符 U+001B、U+0007{said}",
    ]


def test_a_form_with_a_serial_number_of_5000_digits_is_located(content, tmp_path):
    form = tmp_path / "form.csv"
    form.write_text(
        f"2030年重点民生实事推进情况\n序号,项目名称,目标任务,推进情况（截至6月底）\n{'9' * 5000},新建公厕,x,进展\n",
        encoding="utf-8",
    )
    code, _, err = run("form", "import", str(form), "--content", str(content))
    assert code == 1 and "Traceback" not in err and err.startswith(f"{form}:3")
    assert run("form", "export", "--period", "0000-06", "--content", str(content))[2] == (
        "build.py: 截至月份“0000-06”不对：年份应在 2000–2099 之间 (--period YYYY-MM)\n"
    )
