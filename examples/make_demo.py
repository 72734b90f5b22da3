#!/usr/bin/env python3
"""Write examples/demo/: the real 2020 project list, with illustrative monthly data.

content/ holds only what official documents say. To show the monthly cycle at work (progress,
verdicts, late and missing reports, inspections, bulletins, the deputies' satisfaction votes),
this script copies the official project list and indicators from content/ and adds invented
reports for June to December 2020. Everything it invents is marked: site.yaml has
``demo: true``, the title says 演示, and every post body begins with “（演示数据）”.

The output depends only on content/ and the tables below (a fixed seed, no clock), so
tests/test_demo.py can regenerate it and compare. Change the demo here, never by hand:

    .venv/bin/python examples/make_demo.py [--content content] [--out examples/demo]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import shutil
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2020
MONTHS = (6, 7, 8, 9, 10, 11, 12)
DUE_DAY = 25
SEED = 20200602  # the notice's date: any fixed number would do
MARK = "（演示数据）"

TITLE = "渝北区重点民生实事进展公开（演示）"
DESCRIPTION = (
    "这是一个演示站点，不是官方发布。项目清单和目标任务照录自渝北区2020年重点民生实事通知"
    "（渝北府办发〔2020〕14号）；2020年6月至12月的月度推进情况、督查抽查、通报、年终考核、"
    "新闻和人大代表满意度测评都是为演示本系统而虚构的数据。通知只说区人大将监督票决出的10件民生实事，"
    "没有列明是哪10件，本演示中标为“人大票决”的10个项目是示意选取的。"
)

# The notice names no ten: the demo marks the district-level projects that have measurable
# targets (all 区级 projects but 2020-17), as a district congress might plausibly have voted.
VOTED = ("2020-11", "2020-12", "2020-13", "2020-14", "2020-15", "2020-16", "2020-18", "2020-19", "2020-20", "2020-21")

# The one voted project whose 满意 votes fall short of half (满意 + 基本满意 still above half).
BASICALLY_SATISFIED = "2020-19"

# Indicator values at the end of June … December (None: not reported that month).
# Compare value × 12 with target × month to see where a project trails 序时进度.
VALUES: dict[str, dict[str, tuple[float | None, ...]]] = {
    "2020-01": {
        "preschool-enrolment-rate": (91.2, 91.2, 91.5, 92.0, 92.1, 92.3, 92.4),
        "inclusive-kindergarten-coverage": (66.8, 67.5, 68.9, 70.3, 70.6, 71.2, 71.5),
    },
    # Summer holiday: no after-school service, no rate in July and August.
    "2020-02": {"after-school-participation": (93.5, None, None, 95.6, 96.2, 96.8, 97.1)},
    "2020-04": {
        "tourist-toilets": (9, 11, 12, 14, 16, 17, 18),
        "rural-toilet-coverage": (83.6, 84.1, 84.7, 85.2, 85.6, 86.0, 86.3),
        "rural-sanitary-toilets": (5820, 6710, 7630, 8520, 9480, 10350, 11305),
    },
    "2020-05": {"key-work-areas": (2, 2, 2, 3, 3, 3, 3)},
    "2020-06": {
        "community-parks": (3, 3, 3, 4, 4, 5, 6),
        "panxi-river-trail": (3.5, 3.7, 3.9, 4.2, 5.1, 5.9, 6.6),
    },
    "2020-08": {
        "model-elderly-care-centres": (2, 2, 2, 3, 3, 3, 3),
        "elderly-care-stations": (9, 11, 12, 14, 15, 17, 18),
    },
    "2020-09": {"meal-points": (8, 9, 10, 12, 13, 14, 15), "bathing-points": (1, 2, 2, 3, 3, 3, 3)},
    "2020-11": {
        "congestion-areas": (3, 3, 4, 4, 5, 5, 5),
        "congested-roads": (9, 11, 13, 16, 18, 20, 21),
        "pedestrian-crossings": (4, 5, 6, 9, 10, 11, 11),
        "rail-stations": (5, 6, 7, 9, 10, 11, 11),
        "bus-stops": (8, 10, 12, 13, 15, 16, 17),
    },
    "2020-12": {
        "parking-facilities": (1, 1, 2, 3, 3, 4, 4),
        "parking-spaces": (240, 240, 470, 690, 690, 900, 1020),
    },
    "2020-13": {"health-service-centres": (2, 2, 2, 2, 2, 3, 3)},
    "2020-14": {
        "water-plants": (5, 6, 6, 7, 8, 9, 9),
        "water-pipelines": (58, 66, 75, 84, 92, 99, 105),
        "rural-population-served": (13.5, 15.2, 17.4, 19.6, 21.8, 24.0, 26.1),
    },
    "2020-15": {
        "skills-training": (2150, 2480, 2760, 3120, 3450, 3780, 4260),
        "startup-loans": (1620, 1850, 2100, 2380, 2560, 2830, 3150),
        "zero-employment-households": (2, 1, 1, 0, 0, 0, 0),
    },
    "2020-16": {
        "subdistrict-elderly-centres": (1, 2, 2, 2, 2, 2, 2),
        "town-elderly-centres": (2, 2, 2, 3, 3, 3, 3),
        "elderly-care-stations": (23, 27, 30, 34, 38, 42, 45),
        "village-mutual-aid-points": (17, 19, 20, 24, 27, 30, 32),
        "nursing-beds": (135, 152, 175, 200, 220, 240, 260),
    },
    "2020-18": {
        "elevators": (100, 108, 116, 130, 158, 181, 203),
        "smart-access-control": (280, 330, 372, 410, 452, 496, 531),
    },
    "2020-19": {
        "resettlement-projects": (2, 2, 3, 3, 4, 4, 5),
        "resettlement-housing-area": (6.2, 7.0, 8.3, 9.6, 11.4, 12.8, 14.6),
    },
    "2020-20": {"public-toilet-upgrades": (0, 4, 7, 9, 11, 12, 13)},
    "2020-21": {
        "villages-covered": (88, 100, 115, None, None, 153, 166),
        "broadcast-terminals": (100, 116, 132, None, None, 178, 193),
    },
}

# Projects whose targets carry no number report a status only (None: no report that month).
STATUS_ONLY: dict[str, tuple[str | None, ...]] = {
    "2020-03": ("on_track", "on_track", None, "on_track", "on_track", "done", "done"),
    "2020-07": ("on_track", "on_track", "on_track", "on_track", "on_track", "on_track", "done"),
    "2020-10": ("lagging", "on_track", "on_track", "on_track", "on_track", "done", "done"),
    "2020-17": ("on_track", None, "on_track", "on_track", "on_track", "on_track", "on_track"),
}

# The one report that carries an attachment (a report's evidence): project, month, file, title.
ATTACHED = ("2020-13", 12, "2020-13-竣工验收报告.pdf", "社区卫生服务中心竣工验收报告（演示）")

# No report at all: the month page shows 未报送.
MISSING = {("2020-03", 8), ("2020-17", 7), ("2020-21", 9), ("2020-21", 10)}
# Filed after the 25th: 逾期报送.
LATE = {
    ("2020-06", 8),
    ("2020-10", 10),
    ("2020-12", 7),
    ("2020-14", 12),
    ("2020-19", 6),
    ("2020-19", 9),
    ("2020-19", 11),
    ("2020-21", 11),
}
# Where the unit's own status is not what its numbers say, so the disagreement note shows;
# and a project that reports 未启动 before its works begin.
STATUS_SAID = {("2020-09", 6): "on_track", ("2020-12", 9): "on_track", ("2020-20", 6): "not_started"}

# How each indicator reads in a report sentence.
PHRASES = {
    "preschool-enrolment-rate": "学前三年毛入园率{v}%",
    "inclusive-kindergarten-coverage": "普惠性幼儿园覆盖率{v}%",
    "after-school-participation": "课后服务学生参与率{v}%",
    "tourist-toilets": "旅游景区新建旅游厕所{v}座",
    "rural-toilet-coverage": "农村户用卫生厕所普及率{v}%",
    "rural-sanitary-toilets": "新建农村无害化卫生厕所{v}户",
    "key-work-areas": "预约诊疗、远程医疗协作网、电子健康卡3个方面工作已完成{v}个",
    "community-parks": "建成社区体育文化公园{v}个",
    "panxi-river-trail": "盘溪河步道完成{v}公里",
    "model-elderly-care-centres": "新增市级示范社区养老服务中心{v}个",
    "elderly-care-stations": "新增社区养老服务站{v}个",
    "meal-points": "设立助餐点{v}个",
    "bathing-points": "助浴点{v}个",
    "congestion-areas": "完成{v}个片区设施完善和交通组织优化",
    "congested-roads": "{v}条严重拥堵道路完成整治",
    "pedestrian-crossings": "建成人行过街设施{v}个",
    "rail-stations": "改造轨道站点{v}个",
    "bus-stops": "改造公交站点{v}个",
    "parking-facilities": "建成公共停车楼（场）{v}个",
    "parking-spaces": "新增公共停车位{v}个",
    "health-service-centres": "建成投用社区卫生服务中心{v}个",
    "water-plants": "改造新建水厂{v}个",
    "water-pipelines": "改造和新增供水管网{v}公里",
    "rural-population-served": "巩固提升农村饮水安全人口{v}万人",
    "skills-training": "开展职业技能培训{v}人次",
    "startup-loans": "发放创业贷款{v}万元",
    "zero-employment-households": "“零就业家庭”{v}户",
    "subdistrict-elderly-centres": "建成街道社区养老服务中心{v}个",
    "town-elderly-centres": "镇级养老服务中心{v}个",
    "village-mutual-aid-points": "村级互助养老点{v}个",
    "nursing-beds": "新增失能老人护理床位{v}张",
    "elevators": "完成老旧住宅增设电梯{v}台",
    "smart-access-control": "新安装智能门禁系统{v}套",
    "resettlement-projects": "{v}个安置房项目完成建设",
    "resettlement-housing-area": "建成投用安置房{v}万平方米",
    "public-toilet-upgrades": "完成城区老旧公厕升级改造{v}座",
    "villages-covered": "完成{v}个村广播终端安装",
    "broadcast-terminals": "安装广播终端{v}套",
}
# 2020-16 has two indicators called elderly-care-stations (one in 2020-08): name them apart.
PROJECT_PHRASES = {("2020-16", "elderly-care-stations"): "社区养老服务站{v}个"}

# What the work looked like: early (June, July), middle (August–October), late (November, December).
WORK: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "2020-01": (
        (
            "新建公办幼儿园项目按计划推进，秋季学期学位预测和招生计划已完成。",
            "持续开展民办园普惠性认定，完成新一批申报材料初审。",
        ),
        ("秋季学期招生工作平稳完成，新增公办园学位有序投用。", "开展普惠性民办幼儿园年度检查，落实生均补助。"),
        (
            "完成年度普惠性幼儿园认定复核，学前教育公共服务体系进一步完善。",
            "开展学前教育质量督导评估，巩固普惠覆盖成果。",
        ),
    ),
    "2020-02": (
        (
            "春季学期课后服务正常开展，学校结合实际开设托管、社团和兴趣活动。",
            "组织学校梳理课后服务开展情况，收集家长意见建议。",
        ),
        (
            "秋季学期课后服务全面启动，引入优质社会资源丰富服务内容。",
            "开展课后服务工作专项督导，规范服务时间和安全管理。",
        ),
        ("开展课后服务质量抽查，进一步规范收费和安全管理。", "总结推广课后服务典型做法，提升家长满意度。"),
    ),
    "2020-03": (
        ("完成建档立卡贫困家庭大学生信息比对，建立资助对象台账。", "会同扶贫部门核实学生信息，确保资助对象精准。"),
        ("秋季学期资助申请受理和审核工作有序开展。", "会同扶贫部门核实新增学生信息，确保应助尽助。"),
        ("资助资金已按程序拨付到位，全年资助工作完成。", "开展资助资金发放情况回访，资助对象应助尽助。"),
    ),
    "2020-04": (
        ("景区旅游厕所建设完成选址和设计，部分点位进入主体施工。", "各镇街农村改厕工作全面铺开，开展改厕户摸底核实。"),
        (
            "旅游厕所加快主体施工和配套设施建设，农村改厕同步开展质量抽查。",
            "组织开展农村改厕“回头看”，对发现的问题逐户整改。",
        ),
        ("旅游厕所陆续完成验收并投入使用，农村改厕进入验收阶段。", "开展农村改厕档案整理和验收工作。"),
    ),
    "2020-05": (
        ("预约诊疗制度持续完善，区级医院分时段预约全面推行。", "远程医疗协作网建设方案已制定，正在开展设备采购。"),
        (
            "远程医疗协作网覆盖全部镇街卫生院，电子健康卡在区级医院推广应用。",
            "持续优化预约诊疗流程，缩短患者候诊时间。",
        ),
        ("医改便民举措落实情况开展自查，持续巩固工作成效。", "电子健康卡应用场景持续拓展，群众就医便捷度提升。"),
    ),
    "2020-06": (
        ("社区体育文化公园完成方案设计，部分公园进场施工。", "盘溪河步道分段推进，加快场地平整和基础施工。"),
        ("公园运动场地和配套设施加快建设，步道铺装工程同步推进。", "已建成公园完善照明和健身器材，方便群众使用。"),
        ("已建成公园开放使用，剩余点位加快收尾。", "步道剩余路段加快铺装和绿化施工。"),
    ),
    "2020-07": (
        ("完成城区人行道问题点位摸排，制定完善提升实施方案。", "首批人行道破损路段修复施工已启动。"),
        ("人行道完善提升工程分片区推进，同步整治占道和破损问题。", "加强施工围挡和夜间施工管理，减少对群众出行影响。"),
        ("主要路段人行道提升工程基本完工，开展完工验收。", "建立人行道日常巡查维护机制。"),
    ),
    "2020-08": (
        ("市级示范社区养老服务中心完成选址和设计。", "社区养老服务站建设按计划推进，部分站点完成装修。"),
        ("示范中心建设加快推进，养老服务站陆续投入运营。", "引入专业养老服务机构参与运营管理。"),
        ("开展社区养老服务设施验收和运营评估。", "完成年度建设任务验收准备工作。"),
    ),
    "2020-09": (
        ("助餐点、助浴点选址工作基本完成，服务运营主体已确定。", "开展城市社区养老助医行动，组织家庭医生上门服务。"),
        ("助餐点陆续开放，为社区老年人提供就餐服务。", "助浴点设施设备安装调试完成。"),
        ("助餐助浴服务运行平稳，开展服务满意度回访。", "养老助医行动持续开展，完善签约服务。"),
    ),
    "2020-10": (
        ("开展各镇失能特困人员集中照护意愿摸排。", "悦来老年康养中心照护床位和护理人员准备工作有序推进。"),
        ("有意愿的失能特困人员分批入住，照护服务规范开展。", "建立集中照护对象动态管理台账。"),
        ("有意愿的失能特困人员已实现集中照护全覆盖。", "开展照护服务质量评估，持续做好集中照护。"),
    ),
    "2020-11": (
        ("各片区交通组织优化方案已完成编制，部分道路启动设施完善。", "轨道与地面公交站点整体提升工程启动设计。"),
        ("拥堵道路设施完善和交通组织优化分批实施，人行过街设施加快建设。", "轨道站点、公交站点改造同步推进。"),
        ("已完工路段通行效率明显提升，剩余点位加快收尾。", "开展交通组织优化效果评估。"),
    ),
    "2020-12": (
        ("中央公园东侧停车场等项目加快建设。", "两路农贸市场、碧津公园立体停车楼项目开展前期工作。"),
        ("在建停车场项目加快主体施工，同步推进智慧停车系统建设。", "已建成停车场接入全区智慧停车平台。"),
        ("已建成停车场投入使用，剩余项目加快收尾。", "两路农贸市场立体停车楼项目持续推进。"),
    ),
    "2020-13": (
        ("宝圣湖、木耳空港乐园、仙桃社区卫生服务中心加快装修和设备配置。", "同步开展社区卫生服务中心人员招聘。"),
        ("社区卫生服务中心完成设备安装调试，开展人员招聘。", "加快办理医疗机构执业许可。"),
        ("社区卫生服务中心已投入使用，基本医疗和公共卫生服务正常开展。", "开展家庭医生签约服务，方便群众就近就医。"),
    ),
    "2020-14": (
        ("洛碛、茨竹等片区水厂改造新建工程加快推进。", "供水管网改造和新建工程分段施工。"),
        ("水厂工程陆续完成设备安装，管网工程同步推进。", "开展农村供水水质检测。"),
        ("已完工水厂通水运行，剩余管网加快铺设。", "开展农村饮水工程验收。"),
    ),
    "2020-15": (
        (
            "组织开展高校毕业生、农民工、就业困难人员专项帮扶活动。",
            "职业技能培训按计划开班，创业担保贷款受理审核有序开展。",
        ),
        ("举办线上线下招聘会，推动重点群体就业。", "对零就业家庭逐户建立帮扶台账，实行动态清零。"),
        ("持续开展就业困难人员援助，零就业家庭保持动态清零。", "职业技能培训和创业贷款发放工作有序收尾。"),
    ),
    "2020-16": (
        ("街道、镇级养老服务中心完成选址设计，部分项目进入施工。", "村级互助养老点建设在各镇全面启动。"),
        ("社区养老服务站、村级互助养老点加快建设，悦来老年康养中心护理床位同步扩充。", "已建成设施引入专业机构运营。"),
        ("养老服务设施陆续建成投用，开展运营评估。", "完善居家养老服务网络，为老年人就近提供服务。"),
    ),
    "2020-17": (
        ("完成食材集中采购配送招标工作。", "首批公办中小学纳入食材统一配送。"),
        ("秋季学期食材集中采购配送在公办中小学全面推行。", "开展食材质量抽检和配送企业考核。"),
        ("建立食材采购配送常态化监管机制。", "持续开展学校食堂食品安全检查。"),
    ),
    "2020-18": (
        (
            "老旧住宅增设电梯工作召开业主协商会，审批服务提速。",
            "单体老旧小区、公租房、安置房智能门禁系统安装分批实施。",
        ),
        ("增设电梯项目加快施工，已完工电梯陆续通过验收。", "智能门禁系统安装同步推进。"),
        ("增设电梯项目集中验收，智能门禁系统调试运行。", "建立增设电梯后期维保机制。"),
    ),
    "2020-19": (
        ("和合家园、御景雅居（二期）等安置房项目加快主体施工。", "加强安置房工程质量安全巡查。"),
        ("安置房项目推进室外配套和竣工验收准备。", "加强施工组织，倒排工期推进。"),
        ("已完工安置房开展分房交付准备工作。", "剩余项目加快室外配套施工。"),
    ),
    "2020-20": (
        ("完成13座城区老旧公厕现状调查和改造方案设计。", "公厕升级改造项目开展招标。"),
        ("公厕升级改造分批施工，改造期间设置临时厕所。", "同步提升公厕无障碍和第三卫生间设施。"),
        ("完成改造的公厕陆续开放，开展保洁管理提升。", "建立公厕日常管理考核机制。"),
    ),
    "2020-21": (
        ("完成“村村响”广播终端安装点位勘察。", "广播终端设备采购完成，各镇分批安装。"),
        ("广播终端安装调试有序推进，开展播出测试。", "各镇落实广播终端管理人员。"),
        ("广播终端安装基本完成，建立运行维护机制。", "开展广播节目覆盖效果检测。"),
    ),
}
# What holds a project back, said when it lags.
HOLDUPS = {
    "2020-06": "部分地块涉及管线迁改，施工进度慢于计划，已增加施工作业面。",
    "2020-08": "部分站点用房协调难度较大，建设进度慢于计划。",
    "2020-09": "助浴点设备采购周期较长，部分点位尚未投用。",
    "2020-10": "部分镇失能特困人员意愿摸排尚未完成，集中照护工作启动较慢。",
    "2020-11": "部分人行天桥涉及管线迁改和用地协调，前期工作用时较长。",
    "2020-12": "个别停车场项目受用地手续影响，开工时间推迟。",
    "2020-13": "个别中心装修工程受疫情影响延期，执业许可办理尚在推进。",
    "2020-14": "部分管网沿线涉及道路开挖许可，铺设进度慢于计划。",
    "2020-16": "村级互助养老点建设起步较晚，护理床位装修尚未完成。",
    "2020-18": "部分小区业主意见难以统一，增设电梯签约进度慢于计划。",
    "2020-19": "受前期征地拆迁和雨季影响，部分项目建设进度滞后，已倒排工期加快推进。",
    "2020-20": "招标程序用时较长，改造工程开工较晚。",
    "2020-21": "受设备供货影响，部分镇安装进度放缓。",
}
# What a unit says in a particular month, instead of the usual work sentence.
SPECIAL = {
    ("2020-02", 7): "暑期学校放假，课后服务暂停，组织学校制定秋季学期课后服务方案。",
    ("2020-02", 8): "暑期学校放假，课后服务暂停，秋季学期课后服务方案已印发。",
    ("2020-21", 11): "9月、10月推进情况未按时报送，现一并补报。广播终端安装调试加快推进，开展播出测试。",
}

STATUS_WORDS = {"not_started": "未启动", "on_track": "序时推进", "lagging": "滞后", "done": "已完成"}


# ---------------------------------------------------------------- the project list


@dataclass(frozen=True)
class Indicator:
    project: str
    id: str
    name: str
    target: Decimal
    unit: str
    measure: str
    direction: str


@dataclass(frozen=True)
class Project:
    id: str
    seq: int
    name: str
    units: tuple[str, ...]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def with_votes(path: Path) -> str:
    """The official project list, `voted` set for the demo's ten and for no other."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("voted")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        row[column] = "true" if row[0] in VOTED else "false"
        writer.writerow(row)
    return out.getvalue()


# ---------------------------------------------------------------- the numbers


def value(project: str, indicator: str, month: int) -> float | None:
    """The newest value reported at or before a month (a missing month reports nothing)."""
    series = VALUES[project][indicator]
    for m in reversed(MONTHS[: MONTHS.index(month) + 1]):
        v = series[MONTHS.index(m)]
        if v is not None and (project, m) not in MISSING:
            return v
    return None


def reached(ind: Indicator, v: float | None) -> bool:
    if v is None:
        return False
    number = Decimal(str(v))
    return number <= ind.target if ind.direction == "at_most" else number >= ind.target


def behind(ind: Indicator, v: float | None, month: int) -> bool:
    """A cumulative indicator trailing 序时进度 (month/12 of its target)."""
    number = Decimal(str(v if v is not None else 0))
    return ind.measure == "cumulative" and number * 12 < ind.target * month


def verdict(project: str, indicators: list[Indicator], month: int) -> str:
    """The portal's rule, restated so bulletins name the projects the site shows as 滞后."""
    if project in STATUS_ONLY:
        said = [s for m, s in zip(MONTHS, STATUS_ONLY[project], strict=True) if m <= month and s]
        return {"done": "done", "on_track": "on_schedule"}.get(said[-1], "behind")
    values = {i.id: value(project, i.id, month) for i in indicators}
    if all(reached(i, values[i.id]) for i in indicators):
        return "done"
    if any(behind(i, values[i.id], month) for i in indicators):
        return "behind"
    return "on_schedule"


def status(project: str, indicators: list[Indicator], month: int) -> str:
    said = STATUS_SAID.get((project, month))
    if said:
        return said
    if project in STATUS_ONLY:
        return STATUS_ONLY[project][MONTHS.index(month)] or ""
    return {"done": "done", "behind": "lagging", "on_schedule": "on_track"}[verdict(project, indicators, month)]


def number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


# ---------------------------------------------------------------- writing posts


def scalar(text: str) -> str:
    """A YAML scalar: plain when safe, else double-quoted (JSON strings are valid YAML)."""
    if text and not any(c in text for c in ":#'\"[]{},&*!|>%@`") and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def front_matter(fields: dict[str, object]) -> str:
    lines = ["---"]
    for key, val in fields.items():
        if isinstance(val, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {v}" for k, v in val.items()]
        elif isinstance(val, list) and val and isinstance(val[0], dict):  # a list of mappings: attachments
            lines.append(f"{key}:")
            for item in val:
                lines += [f"  {'-' if i == 0 else ' '} {k}: {scalar(v)}" for i, (k, v) in enumerate(item.items())]
        elif isinstance(val, list | tuple):
            lines.append(f"{key}: [{', '.join(val)}]")
        else:
            lines.append(f"{key}: {scalar(str(val))}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def post(fields: dict[str, object], paragraphs: list[str]) -> str:
    return front_matter(fields) + "\n" + "\n\n".join(paragraphs) + "\n"


def illustrative(paragraphs: list[str]) -> list[str]:
    return [MARK + "本文为演示用的虚构内容，不是官方发布，请勿引用。", *paragraphs]


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF of a title and a few lines, written out byte by byte: the same bytes every
    run (no clock, no library). The text is set in STSong-Light, the simplified Chinese font
    every PDF reader supplies itself, so nothing is embedded."""
    text = ["BT", "/F1 18 Tf", "72 760 Td", f"<{title.encode('utf-16-be').hex()}> Tj", "/F1 12 Tf"]
    for line in lines:
        text += ["0 -30 Td", f"<{line.encode('utf-16-be').hex()}> Tj"]
    stream = "\n".join([*text, "ET"]).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


class Demo:
    """The demo tree, built in memory as {relative path: text}, then written at once."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self.rng = random.Random(SEED)
        self.projects = [
            Project(r["id"], int(r["seq"]), r["name"], tuple(r["units"].split("、")))
            for r in read_csv(content / "projects" / f"{YEAR}.csv")
        ]
        self.by_id = {p.id: p for p in self.projects}
        self.indicators: dict[str, list[Indicator]] = {p.id: [] for p in self.projects}
        for r in read_csv(content / "projects" / f"{YEAR}-indicators.csv"):
            self.indicators[r["project"]].append(
                Indicator(
                    r["project"],
                    r["id"],
                    r["name"],
                    Decimal(r["target"]),
                    r["unit"],
                    r["measure"],
                    r["direction"] or "at_least",
                )
            )
        self.files: dict[str, str | bytes] = {}
        self._check_tables()

    def _check_tables(self) -> None:
        """The tables above must cover exactly the projects and indicators content/ has."""
        measured = {pid for pid, inds in self.indicators.items() if inds}
        if measured != set(VALUES) or measured & set(STATUS_ONLY) or measured | set(STATUS_ONLY) != set(self.by_id):
            raise SystemExit("make_demo: VALUES/STATUS_ONLY do not match content/ projects and indicators")
        for pid in VALUES:
            ids = {i.id for i in self.indicators[pid]}
            if set(VALUES[pid]) != ids:
                raise SystemExit(f"make_demo: VALUES[{pid}] should have {sorted(ids)}")
        if not set(VOTED) <= set(self.by_id) or len(VOTED) != 10:
            raise SystemExit("make_demo: VOTED must name ten projects of content/")

    def verdict(self, pid: str, month: int) -> str:
        return verdict(pid, self.indicators[pid], month)

    def build(self) -> dict[str, str | bytes]:
        self.site()
        self.files["projects/2020.csv"] = with_votes(self.content / "projects" / f"{YEAR}.csv")
        self.files["projects/2020-indicators.csv"] = (self.content / "projects" / f"{YEAR}-indicators.csv").read_text(
            encoding="utf-8-sig"
        )
        for month in MONTHS:
            for project in self.projects:
                self.report(project, month)
        self.news()
        self.bulletin()
        self.inspections()
        self.evaluations()
        self.assessment()
        return self.files

    def site(self) -> None:
        official = yaml.safe_load((self.content / "site.yaml").read_text(encoding="utf-8-sig"))
        settings = {
            **official,
            "title": TITLE,
            # Invented data must not be attributed to the real office or served from its host.
            "publisher": "民生实事进展公开演示站点（非官方发布）",
            "site_url": "https://demo.example.org",
            "demo": True,
            "reporting_from": f"{YEAR}-{MONTHS[0]:02d}",
            "description": DESCRIPTION,
            # A government site's duties and the public's channel, each plainly a demo value: no
            # real office, filing number, hotline or address (example.org is reserved for examples).
            "organizer": "演示主办单位（虚构，非官方）",
            "operator": "演示承办单位（虚构，非官方）",
            "contact": {
                "phone": "000-00000000（演示号码，请勿拨打）",
                "email": "demo@example.org",
                "address": "演示地址（虚构）",
            },
            "site_code": "DEMO000000",
            "icp": "演示ICP备00000000号（非真实备案号）",
            "police_record": "演示公网安备00000000000000号（非真实备案号）",
            "gov_badge": "https://example.org/demo/gov-badge",
            "report_errors": "https://example.org/demo/report-errors",
            "feedback": {
                "hotline": "000-00000000",
                "email": "demo@example.org",
                "url": "https://example.org/demo/feedback",
                "note": "演示站点：以上热线、邮箱和留言网址都是虚构的，请勿使用。正式站点在这里写明受理单位和答复时限。",
            },
        }
        self.files["site.yaml"] = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=1000)

    # ------------------------------------------------------------ monthly reports

    def submitted(self, pid: str, month: int) -> str:
        due = dt.date(YEAR, month, DUE_DAY)
        if (pid, month) in LATE:
            return (due + dt.timedelta(days=self.rng.randint(1, 9))).isoformat()
        return (due - dt.timedelta(days=self.rng.choice((0, 0, 1, 1, 2, 3, 4, 5, 7, 9, 13)))).isoformat()

    def report(self, project: Project, month: int) -> None:
        pid = project.id
        if (pid, month) in MISSING:
            return
        stage = 0 if month <= 7 else 1 if month <= 10 else 2
        said = status(pid, self.indicators[pid], month)
        values = {}
        for ind in self.indicators[pid]:
            v = VALUES[pid][ind.id][MONTHS.index(month)]
            if v is not None:
                values[ind.id] = number(v)
        text = MARK
        if values:
            parts = [PROJECT_PHRASES.get((pid, i), PHRASES[i]).format(v=v) for i, v in values.items()]
            text += f"截至{month}月底，" + "，".join(parts) + "。"
        text += SPECIAL.get((pid, month)) or self.rng.choice(WORK[pid][stage])
        if self.verdict(pid, month) == "behind" and pid in HOLDUPS:
            text += HOLDUPS[pid]
        fields: dict[str, object] = {
            "title": f"{YEAR}年{month}月推进情况：{project.name}",
            "date": (day := self.submitted(pid, month)),
            "kind": "report",
            "projects": [pid],
            "source": "、".join(project.units),
            "period": f"{YEAR}-{month:02d}",
            "submitted": day,
            "status": said,
        }
        if values:
            fields["values"] = values
        if (pid, month) == ATTACHED[:2]:
            fields["attachments"] = [{"file": ATTACHED[2], "title": ATTACHED[3]}]
            self.files[f"updates/reports/{YEAR}-{month:02d}/{ATTACHED[2]}"] = self.certificate(project)
        self.files[f"updates/reports/{YEAR}-{month:02d}/{pid}.md"] = post(fields, [text])

    def certificate(self, project: Project) -> bytes:
        """The attached report's evidence: a one-page PDF that says on every line it is a demo."""
        return demo_pdf(
            MARK + ATTACHED[3].removesuffix("（演示）"),
            [
                f"项目：{project.id} {project.name}",
                f"牵头单位：{'、'.join(project.units)}",
                "验收结论：宝圣湖、木耳空港乐园、仙桃3个社区卫生服务中心竣工验收合格。",
                "本文件为演示用的虚构内容，不是官方发布，请勿引用。",
            ],
        )

    # ------------------------------------------------------------ other posts

    def names(self, ids: list[str]) -> str:
        return "、".join(self.by_id[i].name for i in ids)

    def shortfalls(self, pid: str, month: int) -> str:
        """What a project lacks at a month, e.g. 建成公共停车楼（场）4个（目标5个）."""
        parts = []
        for ind in self.indicators[pid]:
            v = value(pid, ind.id, month)
            if not reached(ind, v) and ind.measure == "cumulative":
                shown = PROJECT_PHRASES.get((pid, ind.id), PHRASES[ind.id]).format(v=number(v or 0))
                parts.append(f"{shown}（目标{number(float(ind.target))}{ind.unit}）")
        return "，".join(parts)

    def said(self, pid: str, month: int) -> str:
        return f"牵头单位自评“{STATUS_WORDS[status(pid, self.indicators[pid], month)]}”，尚未报告完成"

    def news(self) -> None:
        voted = list(VOTED)
        self.files["updates/news/2020-06-12-voted-projects-demo.md"] = post(
            {
                "title": "关于本演示站点中10件人大票决项目的说明",
                "date": "2020-06-12",
                "kind": "news",
                "projects": voted,
                "source": "本站编辑（演示）",
            },
            illustrative(
                [
                    "渝北区2020年重点民生实事通知（渝北府办发〔2020〕14号）写明“区人大将对票决出的10件民生实事开展监督，"
                    "并对项目办理情况进行满意度测评表决”，但没有列明是哪10件。",
                    f"为演示人大监督页面，本站示意选取了10个区级项目标为“人大票决”：{self.names(voted)}。"
                    "这一选择只是演示，不代表实际票决结果；正式站点只在票决名单公开后才标注票决项目。",
                    "本站的月度推进情况、督查抽查、通报、年终考核和满意度测评票数也都是虚构的演示数据。",
                ]
            ),
        )
        self.files["updates/news/2020-08-28-community-parks-open.md"] = post(
            {
                "title": "首批社区体育文化公园向市民开放",
                "date": "2020-08-28",
                "kind": "news",
                "projects": ["2020-06"],
                "source": "区融媒体中心（演示）",
            },
            illustrative(
                [
                    "回兴立交周边的社区体育文化公园近日建成开放，篮球场、健身步道和儿童活动区吸引了不少周边居民。",
                    f"截至8月底，全区已{PHRASES['community-parks'].format(v=number(value('2020-06', 'community-parks', 8)))}，"
                    f"{PHRASES['panxi-river-trail'].format(v=number(value('2020-06', 'panxi-river-trail', 8)))}，"
                    "其余点位正在加紧施工。",
                ]
            ),
        )
        lifts = next(i for i in self.indicators["2020-18"] if i.id == "elevators")
        pace = "进度仍慢于序时" if behind(lifts, value("2020-18", "elevators", 10), 10) else "进度符合序时"
        self.files["updates/news/2020-11-10-lifts-one-building-one-plan.md"] = post(
            {
                "title": "老旧住宅增设电梯：“一栋一策”做通业主工作",
                "date": "2020-11-10",
                "kind": "news",
                "projects": ["2020-18"],
                "source": "区融媒体中心（演示）",
            },
            illustrative(
                [
                    "增设电梯难在业主意见统一。今年以来，各街道组织社区干部、楼栋长逐户上门，"
                    "对低层住户的采光、噪声等顾虑“一栋一策”制定补偿和设计方案。",
                    f"截至10月底，全区{PHRASES['elevators'].format(v=number(value('2020-18', 'elevators', 10)))}，"
                    f"年度目标为200台，{pace}，牵头单位表示将集中力量推进已签约项目施工。",
                ]
            ),
        )
        self.files["updates/news/2020-11-30-health-centres-open.md"] = post(
            {
                "title": "宝圣湖等3个社区卫生服务中心投入使用",
                "date": "2020-11-30",
                "kind": "news",
                "projects": ["2020-13"],
                "source": "区融媒体中心（演示）",
            },
            illustrative(
                [
                    "宝圣湖、木耳空港乐园、仙桃3个社区卫生服务中心已全部投入使用，"
                    "周边居民在家门口就能享受基本医疗、预防接种和家庭医生签约服务。",
                ]
            ),
        )

    def bulletin(self) -> None:
        month = 6
        lagging = [p.id for p in self.projects if self.verdict(p.id, month) == "behind"]
        late = sorted(pid for pid, m in LATE if m == month)
        done = [p.id for p in self.projects if self.verdict(p.id, month) == "done"]
        lines = [
            f"截至{month}月底，全区{len(self.projects)}项重点民生实事中，"
            f"{len(self.projects) - len(lagging)}项按序时推进或已完成，{len(lagging)}项滞后于序时进度。",
            f"进度滞后的项目：{self.names(lagging)}。请牵头单位认真分析原因，倒排工期，确保完成年度目标任务。",
        ]
        if done:
            lines.append(f"已完成年度目标的项目：{self.names(done)}。")
        if late:
            lines.append(f"未按时报送推进情况的项目：{self.names(late)}。请严格执行每月25日前报送的要求。")
        self.files["updates/bulletins/2020-07-15-half-year.md"] = post(
            {
                "title": "关于2020年上半年重点民生实事推进情况的通报",
                "date": "2020-07-15",
                "kind": "bulletin",
                "projects": lagging,
                "source": "区政府办公室（演示）",
            },
            illustrative(lines),
        )

    def inspections(self) -> None:
        checks = (
            ("2020-09-30", 9, "第三季度", ["2020-06", "2020-12", "2020-18", "2020-19", "2020-21"]),
            ("2020-12-20", 11, "第四季度", ["2020-12", "2020-13", "2020-14", "2020-18", "2020-19"]),
        )
        for date, month, quarter, ids in checks:
            lines = [f"区政府督查室会同区发展改革委对{len(ids)}项重点民生实事进行了{quarter}抽查，查看现场、核对台账。"]
            for pid in ids:
                project = self.by_id[pid]
                reported = (pid, month) not in MISSING
                if self.verdict(pid, month) == "done":
                    finding = "现场核实，年度目标任务已完成，台账与报送情况一致。"
                elif self.verdict(pid, month) == "behind":
                    finding = f"进度慢于序时：{self.shortfalls(pid, month)}。要求牵头单位倒排工期、加快推进。"
                else:
                    finding = "现场进度与报送情况基本一致。"
                if not reported:
                    finding += f"{month}月推进情况未报送，已责成牵头单位补报。"
                lines.append(f"- {project.name}（{'、'.join(project.units)}）：{finding}")
            self.files[f"updates/inspections/{date}-spot-check.md"] = post(
                {
                    "title": f"2020年{quarter}重点民生实事督查抽查情况",
                    "date": date,
                    "kind": "inspection",
                    "projects": ids,
                    "source": "区政府督查室（演示）",
                },
                illustrative(["\n".join(lines[:1]), "\n".join(lines[1:])]),
            )

    def evaluations(self) -> None:
        present = 238  # deputies voting at the session: every project gets the same number of votes
        for pid in VOTED:
            dissatisfied = self.rng.randint(0, 4)
            abstained = self.rng.randint(0, 3)
            if pid == BASICALLY_SATISFIED:
                satisfied = self.rng.randint(96, 112)  # not more than half of the votes
            else:
                satisfied = self.rng.randint(168, 214)
            basically = present - satisfied - dissatisfied - abstained
            project = self.by_id[pid]
            self.files[f"updates/evaluations/2020-12-28-{pid}.md"] = post(
                {
                    "title": f"“{project.name}”满意度测评结果",
                    "date": "2020-12-28",
                    "kind": "evaluation",
                    "projects": [pid],
                    "source": "区人大常委会（演示）",
                    "votes": {
                        "satisfied": satisfied,
                        "basically_satisfied": basically,
                        "dissatisfied": dissatisfied,
                        "abstained": abstained,
                        "total": present,
                    },
                },
                illustrative(
                    [
                        f"区人大代表对票决民生实事“{project.name}”的办理情况进行了满意度测评表决，"
                        f"共{present}票：满意{satisfied}票，基本满意{basically}票，不满意{dissatisfied}票，弃权{abstained}票。",
                    ]
                ),
            )

    def assessment(self) -> None:
        month = 12
        done = [p.id for p in self.projects if self.verdict(p.id, month) == "done"]
        open_ = [p.id for p in self.projects if p.id not in done]
        states = {"on_time": 0, "late": 0, "missing": 0}
        for project in self.projects:
            for m in MONTHS:
                key = "missing" if (project.id, m) in MISSING else "late" if (project.id, m) in LATE else "on_time"
                states[key] += 1
        lines = [
            f"经年终考核，全区{len(self.projects)}项重点民生实事中，{len(done)}项全面完成年度目标任务，"
            f"{len(open_)}项未全面完成。",
            "未全面完成的项目：\n"
            + "\n".join(
                f"- {self.by_id[pid].name}：{self.shortfalls(pid, month) or self.said(pid, month)}" for pid in open_
            ),
            f"6月至12月共应报送推进情况{sum(states.values())}份，按时报送{states['on_time']}份，"
            f"逾期报送{states['late']}份，未报送{states['missing']}份。报送情况纳入牵头单位目标考核。",
        ]
        self.files["updates/bulletins/2021-01-20-year-end-assessment.md"] = post(
            {
                "title": "2020年重点民生实事年终考核情况",
                "date": "2021-01-20",
                "kind": "assessment",
                "projects": [p.id for p in self.projects],
                "source": "区考核办（演示）",
            },
            illustrative(lines),
        )


def write(files: dict[str, str | bytes], out: Path) -> None:
    """Replace out/ with the files; refuse to remove a folder that is not a demo tree."""
    if out.exists():
        site = out / "site.yaml"
        settings = yaml.safe_load(site.read_text(encoding="utf-8")) if site.is_file() else None
        is_demo = isinstance(settings, dict) and settings.get("demo") is True
        if any(out.iterdir()) and not is_demo:
            raise SystemExit(f"make_demo: {out} exists and is not a demo tree (no demo: true); not replacing it")
        shutil.rmtree(out)
    for rel, text in sorted(files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成演示数据 examples/demo/ (write the demo content tree)")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="官方内容文件夹 (default: content/)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "examples" / "demo", help="输出文件夹 (default: examples/demo/)"
    )
    args = parser.parse_args(argv)
    files = Demo(args.content).build()
    write(files, args.out)
    print(f"已生成 {args.out}：{len(files)} 个文件")
    return 0


if __name__ == "__main__":
    sys.exit(main())
