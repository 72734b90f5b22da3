"""The deputies' page: exactly the voted projects, however many; the vote and its result."""

from __future__ import annotations

import re

import pytest
from conftest import SITE_YAML, post, run, write_tree


def tree(root, voted: set[int], count: int = 14):
    rows = ["id,seq,name,target,leaders,units,level,voted,category"]
    for seq in range(1, count + 1):
        rows.append(
            f"2031-{seq:02d},{seq},项目{seq}号,目标{seq},领导甲,单位乙,区级,{'true' if seq in voted else 'false'},教育"
        )
    return write_tree(root, {"site.yaml": SITE_YAML, "projects/2031.csv": "\n".join(rows) + "\n"})


def evaluation(project: str, satisfied: int, basic: int, dissatisfied: int, abstained: int) -> str:
    return post(
        f"title: 测评 {project}\ndate: 2031-12-20\nkind: evaluation\nprojects: [{project}]\nvotes:\n"
        f"  satisfied: {satisfied}\n  basically_satisfied: {basic}\n  dissatisfied: {dissatisfied}\n"
        f"  abstained: {abstained}"
    )


def listed(site) -> list[str]:
    page = (site / "deputies/index.html").read_text(encoding="utf-8")
    return re.findall(r'<section class="deputy-project" aria-labelledby="d([0-9-]+)"', page)


@pytest.mark.parametrize("voted", [set(), {7}, set(range(1, 13))])
def test_lists_exactly_the_voted_projects(tmp_path, voted):
    content = tree(tmp_path / "content", voted)
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    assert listed(site) == [f"2031-{s:02d}" for s in sorted(voted)]
    page = (site / "deputies/index.html").read_text(encoding="utf-8")
    assert ("票决项目名单尚未录入" in page) == (not voted)
    assert (site / "deputies/2031/index.html").read_text(encoding="utf-8").count("deputy-project") == len(voted)
    listing = (site / "projects/index.html").read_text(encoding="utf-8")
    assert listing.count('class="tag tag-voted"') == len(voted)
    assert (site / "projects/voted/index.html").exists() == bool(voted)


@pytest.mark.parametrize(
    ("votes", "result"),
    [
        ((50, 30, 10, 10), "基本满意"),  # 满意 exactly half of N = 100 (abstentions count): not more than half
        ((51, 30, 10, 9), "满意"),
        ((20, 30, 40, 10), "不满意"),  # 满意 + 基本满意 exactly half
        ((20, 31, 40, 9), "基本满意"),
    ],
)
def test_satisfaction_rule_at_its_boundaries(tmp_path, votes, result):
    content = tree(tmp_path / "content", {1})
    write_tree(content, {"updates/evaluations/e.md": evaluation("2031-01", *votes)})
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    page = (site / "deputies/index.html").read_text(encoding="utf-8")
    assert f"测评结果：<strong>{result}</strong>" in page
    labels = ("满意", "基本满意", "不满意", "弃权", "总票数")
    assert "".join(f'<td data-label="{k}">{n}</td>' for k, n in zip(labels, (*votes, 100), strict=True)) in page
    data = (site / "data/evaluations.csv").read_text(encoding="utf-8-sig").splitlines()
    assert (
        data[1].split(",")[-1]
        == {"满意": "satisfied", "基本满意": "basically_satisfied", "不满意": "dissatisfied"}[result]
    )


def test_evaluation_of_a_project_not_voted_is_refused(tmp_path):
    content = tree(tmp_path / "content", {1})
    write_tree(content, {"updates/evaluations/e.md": evaluation("2031-02", 1, 0, 0, 0)})
    code, _, err = run("check", "--content", str(content))
    assert code == 1
    assert "e.md:5:projects: 项目 2031-02 不是人大票决项目（voted 不为 true），不能有满意度测评" in err
