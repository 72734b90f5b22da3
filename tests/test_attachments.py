"""Attachments (a post's ``attachments``): each file beside its post is published under the post's
address byte for byte, and listed as 附件 with its title, type and size, on the post's page and,
for a monthly report, under its month on the project's page. Each way one can be wrong is
refused at its line and field with the message a clerk reads; the input digest reads their
content, and the preview rebuilds the site a whole build makes when one changes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import post, run, write_tree
from PIL import Image
from test_errors import problems
from test_incremental import NoIndex, assert_as_whole

from portal import limits
from portal.errors import ContentError
from portal.load import attachments
from portal.model.records import Attachment
from portal.preview import incremental
from portal.write import fingerprint, search

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n% an acceptance certificate\n"
NEWS = "title: 竣工验收\ndate: 2030-03-01\nkind: news\nprojects: [2030-01]\n"
REPORT = (
    "title: 推进情况\ndate: 2030-03-20\nkind: report\nprojects: [2030-01]\nperiod: 2030-03\nsubmitted: 2030-03-20\n"
)
POST = "content/updates/news/n.md"


def listed(entries: str) -> str:
    """An attachments key, its entries indented under it."""
    return "attachments:\n" + "".join(f"  {line}\n" for line in entries.strip().splitlines())


def news(content: Path, entries: str, files: dict[str, str | bytes] | None = None, body: str = "正文。") -> Path:
    """The news post updates/news/n.md with these attachments, and these files beside it."""
    write_tree(content, {"updates/news/n.md": post(NEWS + listed(entries), body)})
    return write_tree(content / "updates/news", files or {})


def built(content: Path, out: Path) -> Path:
    code, _, err = run("build", "--content", str(content), "--out", str(out))
    assert code == 0, err
    return out


def png(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# ---------------------------------------------------------------- published and listed


def test_an_attachment_is_published_beside_its_post_byte_for_byte_and_listed(content: Path, tmp_path: Path) -> None:
    certificate = PDF + bytes(range(256)) * 4680  # 1,198,118 bytes: 1.2 MB
    news(content, "- file: 验收报告.pdf\n  title: 验收报告", {"验收报告.pdf": certificate})
    site = built(content, tmp_path / "site")
    assert (site / "updates/news/n/验收报告.pdf").read_bytes() == certificate
    page = (site / "updates/news/n/index.html").read_text(encoding="utf-8")
    section = page[page.index('<section class="attachments"') :]
    section = section[: section.index("</section>")]
    assert text_of(section).split() == ["附件", "验收报告（PDF，1.2", "MB）"]
    assert '<a href="/updates/news/n/%E9%AA%8C%E6%94%B6%E6%8A%A5%E5%91%8A.pdf">验收报告（PDF，1.2 MB）</a>' in section


def test_a_reports_attachments_are_listed_under_its_month_on_the_project_page(content: Path, tmp_path: Path) -> None:
    entries = (
        "- file: 抽检.docx\n  title: 抽检报告\n- file: photo.png\n  title: 现场照片\n- file: 台账.csv\n  title: 台账"
    )
    ledger = "地点,数量\n北站,12\n".encode("gb18030")
    write_tree(
        content,
        {
            "updates/reports/2030-03/2030-01.md": post(REPORT + listed(entries), "已建成。"),
            "updates/reports/2030-03/抽检.docx": b"PK\x03\x04" + b"\0" * 2000,
            "updates/reports/2030-03/photo.png": png(),
            "updates/reports/2030-03/台账.csv": ledger,
        },
    )
    site = built(content, tmp_path / "site")
    page = (site / "projects/2030-01/index.html").read_text(encoding="utf-8")
    month = page[page.index('<h3 id="month-2030-03">') : page.index("单独页面")]
    assert '<h4 id="month-2030-03-attachments">附件</h4>' in month
    assert re.findall(r"<li><a [^>]*>([^<]*)</a></li>", month) == [
        "抽检报告（DOCX，3 KB）",
        "现场照片（PNG，1 KB）",
        "台账（CSV，1 KB）",
    ]
    assert (site / "updates/reports/2030-03/2030-01/台账.csv").read_bytes() == ledger


@pytest.mark.parametrize(
    ("size", "label"),
    [(1, "1 KB"), (1000, "1 KB"), (1001, "2 KB"), (999_000, "999 KB"), (999_001, "1 MB"), (20_000_000, "20 MB")],
)
def test_sizes_are_rounded_up_as_a_reader_counts_them(size: int, label: str) -> None:
    assert Attachment("a.pdf", "报告", size, "", "").size_label == label


# ---------------------------------------------------------------- refused, each at its line and field


def test_a_missing_file_and_a_missing_title(content: Path) -> None:
    news(content, "- file: 验收报告.pdf\n  title: 验收报告\n- file: b.pdf\n- title: 没有文件", {"b.pdf": PDF})
    assert problems(content) == [
        f"{POST}:7:attachments[1].file: 附件“验收报告.pdf”不存在：请把文件放在文章旁边（与文章同一个文件夹），或改正文件名",
        f"{POST}:9:attachments[2].title: 附件“b.pdf”缺少标题（title）：写明读者看到的名称，如 竣工验收报告",
        f"{POST}:10:attachments[3].file: 附件缺少文件名（file）：写明放在文章旁边的文件名，如 验收报告.pdf",
    ]


TYPES = ".pdf、.ofd、.docx、.xlsx、.csv、.jpg、.jpeg、.png 或 .webp"
NOT = "的内容不是 {}，只是文件名以 {} 结尾：请用原来的软件另存后再附上"
CSV = "CSV 文字（UTF-8 或 GB18030 编码）"


@pytest.mark.parametrize(("name", "data"), [("setup.exe", b"MZ"), ("报告.doc", b"\xd0\xcf\x11\xe0")])
def test_a_file_of_another_type_is_refused_by_its_name(content: Path, name: str, data: bytes) -> None:
    news(content, f"- file: {name}\n  title: 报告", {name: data})
    assert problems(content) == [
        f"{POST}:7:attachments[1].file: 附件“{name}”的类型不能发布：附件只能是 {TYPES} 文件，请另存为 PDF 后再附上",
        # the file itself is said too, as any file of no known kind under updates/
        f"content/updates/news/{name}: 未知的文件：文章须为 .md 文件，附件只能是 {TYPES} 文件",
    ]


REFUSED = {
    "a space": (
        "验收 报告.pdf",
        PDF,
        "附件文件名“验收 报告.pdf”不能用作网址：只能由文字、数字、连字符、下划线和点组成，且以文字或数字开头",
    ),
    "a program as PDF": ("a.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "附件“a.pdf”" + NOT.format("PDF 文件", ".pdf")),
    "a PDF as DOCX": ("a.docx", PDF, "附件“a.docx”" + NOT.format("DOCX 文件", ".docx")),
    "a program as XLSX": ("a.xlsx", b"\x7fELF\x02\x01", "附件“a.xlsx”" + NOT.format("XLSX 文件", ".xlsx")),
    "a PDF as OFD": ("a.ofd", b"%PDF-1.7", "附件“a.ofd”" + NOT.format("OFD 文件", ".ofd")),
    "a JPEG as PNG": ("a.png", b"\xff\xd8\xff\xe0" + b"\0" * 100, "附件“a.png”" + NOT.format("PNG 图片", ".png")),
    "a program as JPEG": ("a.jpg", b"MZ" + b"\0" * 100, "附件“a.jpg”" + NOT.format("JPEG 图片", ".jpg")),
    "a program as CSV": ("a.csv", b"\x7fELF\x02\x01\x01\x00", "附件“a.csv”" + NOT.format(CSV, ".csv")),
    "no text as CSV": ("a.csv", b"a,b\n\xff\xff,1\n", "附件“a.csv”" + NOT.format(CSV, ".csv")),
    "an empty file": ("a.pdf", b"", "附件“a.pdf”是空文件：请放入完整的文件"),
}


@pytest.mark.parametrize(("name", "data", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_file_whose_name_or_content_is_wrong_is_refused(content: Path, name: str, data: bytes, message: str) -> None:
    news(content, f"- file: {name}\n  title: 报告", {name: data})
    assert problems(content) == [f"{POST}:7:attachments[1].file: {message}"]


def test_a_file_over_20_mb_is_refused_unread(content: Path) -> None:
    news(content, "- file: big.pdf\n  title: 扫描件")
    with (content / "updates/news/big.pdf").open("wb") as file:
        file.write(PDF)
        file.truncate(limits.MAX_ATTACHMENT_BYTES + 1)  # sparse: nothing written past the header
    assert problems(content) == [
        f"{POST}:7:attachments[1].file: 附件“big.pdf”文件太大（20.1 MB，最多 20 MB）：请压缩，或拆成几个文件分别附上",
    ]


def test_a_file_of_exactly_20_mb_is_published(content: Path, tmp_path: Path) -> None:
    news(content, "- file: big.pdf\n  title: 扫描件")
    with (content / "updates/news/big.pdf").open("wb") as file:
        file.write(PDF)
        file.truncate(limits.MAX_ATTACHMENT_BYTES)
    site = built(content, tmp_path / "site")
    assert (site / "updates/news/n/big.pdf").stat().st_size == limits.MAX_ATTACHMENT_BYTES
    assert "扫描件（PDF，20 MB）" in (site / "updates/news/n/index.html").read_text(encoding="utf-8")


def test_a_link_a_folder_and_a_pipe_are_refused(content: Path) -> None:
    entries = "- file: linked.pdf\n  title: 链接\n- file: folder.pdf\n  title: 文件夹\n- file: pipe.pdf\n  title: 管道"
    folder = news(content, entries, {"real.pdf": PDF})
    (folder / "linked.pdf").symlink_to("real.pdf")
    (folder / "folder.pdf").mkdir()
    os.mkfifo(folder / "pipe.pdf")
    assert problems(content) == [
        f"{POST}:7:attachments[1].file: 附件“linked.pdf”是一个链接（快捷方式），不是文件本身：请把文件本身放在文章旁边",
        f"{POST}:9:attachments[2].file: 附件“folder.pdf”是文件夹，不是文件：请改名或移走",
        f"{POST}:11:attachments[3].file: 附件“pipe.pdf”是命名管道（FIFO），不是普通文件：请删除它",
        "content/updates/news/pipe.pdf: 是命名管道（FIFO），不是普通文件：请删除它",  # said by the walk, as any pipe
    ]


def test_a_file_not_beside_the_post_is_refused(content: Path) -> None:
    news(content, "- file: ../reports/a.pdf\n  title: 上一级\n- file: sub/a.pdf\n  title: 下一级", {"sub/a.pdf": PDF})
    assert problems(content) == [
        f"{POST}:7:attachments[1].file: 附件“../reports/a.pdf”应放在文章旁边：file 只写文件名，不写文件夹或 /",
        f"{POST}:9:attachments[2].file: 附件“sub/a.pdf”应放在文章旁边：file 只写文件名，不写文件夹或 /",
    ]


def test_two_attachments_published_under_one_name_are_refused(content: Path) -> None:
    entries = "- file: a.pdf\n  title: 一\n- file: a.pdf\n  title: 二\n- file: A.pdf\n  title: 三\n- file: site-480.png\n  title: 四"
    files = {"a.pdf": PDF, "A.pdf": PDF, "site-480.png": png(), "site.png": png(1000, 500)}
    news(content, entries, files, body="![现场](site.png)")
    assert problems(content) == [
        f"{POST}:9:attachments[2].file: 附件“a.pdf”重复：同一个文件只列一次",
        f"{POST}:11:attachments[3].file: 附件“A.pdf”与附件“a.pdf”会发布为同一个文件名：请给其中一个改名",
        f"{POST}:13:attachments[4].file: 附件“site-480.png”与图片“site.png”缩小后的文件同名：请给附件改名",
    ]


def test_attachments_written_in_another_shape_are_refused(content: Path) -> None:
    write_tree(content, {"updates/news/n.md": post(NEWS + "attachments: 验收报告.pdf")})
    write_tree(
        content, {"updates/news/m.md": post(NEWS + listed("- 验收报告.pdf\n- file: a.pdf\n  title: 报告\n  size: 2"))}
    )
    write_tree(content, {"updates/news/a.pdf": PDF})
    assert problems(content) == [
        "content/updates/news/m.md:6:attachments[1]: 每个附件应写成 file（文件名）和 title（标题）两项，如 - file: 验收报告.pdf",
        "content/updates/news/m.md:10:attachments[2].size: 未知的字段“size”：附件只有 file、title 两项",
        f"{POST}:6:attachments: 附件应为列表，每个附件写明 file（文件名）和 title（标题），如 - file: 验收报告.pdf",
    ]


def test_an_attachment_where_another_posts_page_is_is_refused(content: Path) -> None:
    news(content, "- file: b.pdf\n  title: 报告", {"n/b.pdf.md": post(NEWS), "b.pdf": PDF})
    assert problems(content) == [
        f"{POST}:6:attachments: 附件“b.pdf”会发布在 content/updates/news/n/b.pdf.md 的网页所在的位置：请给附件改名",
    ]


def test_a_file_changed_into_a_link_after_the_check_is_not_published(tmp_path: Path) -> None:
    write_tree(tmp_path, {"real.pdf": PDF})
    (tmp_path / "a.pdf").symlink_to("real.pdf")
    attachment = Attachment("a.pdf", "报告", len(PDF), "updates/n/a.pdf", str(tmp_path / "a.pdf"))
    with pytest.raises(ContentError) as raised:
        attachments.published(attachment, "content/updates/n.md")
    assert [str(p) for p in raised.value.problems] == [
        "content/updates/n.md:attachments: 附件“a.pdf”是一个链接（快捷方式），不是文件本身：请把文件本身放在文章旁边",
    ]


# ---------------------------------------------------------------- rebuilt when changed


def test_the_input_digest_reads_an_attachments_content(content: Path) -> None:
    folder = news(content, "- file: a.pdf\n  title: 扫描件", {"a.pdf": PDF + b"page 1"})
    before = fingerprint.digest(content, drafts=False)
    stat = (folder / "a.pdf").stat()
    (folder / "a.pdf").write_bytes(PDF + b"page 2")  # the same size, and the same times below
    os.utime(folder / "a.pdf", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fingerprint.digest(content, drafts=False) != before


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("updates/news/a.pdf", limits.MAX_ATTACHMENT_BYTES),
        ("updates/news/a.CSV", limits.MAX_ATTACHMENT_BYTES),  # a table's limit is far below
        ("updates/news/a.jpg", limits.MAX_IMAGE_BYTES),  # a photo's is above
        ("projects/2030.csv", limits.MAX_TABLE_BYTES),
        ("projects/a.pdf", 0),  # never read
    ],
)
def test_the_digest_reads_an_attachment_as_far_as_a_build_does(path: str, limit: int) -> None:
    assert limits.read_at_most(path) == limit


def test_the_preview_rebuilds_a_changed_attachment_as_a_whole_build_would(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "Indexing", NoIndex)
    monkeypatch.setenv("PORTAL_CACHE", "off")
    content = shutil.copytree(ROOT / "tests/golden/content", tmp_path / "content")
    (tmp_path / "site").mkdir()
    view = incremental.Preview(content, tmp_path / "site")
    view.whole()
    ledger = content / "updates/notices/2029-02-10-目标任务.csv"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "2,助餐服务,新增助餐点10个\n", encoding="utf-8")
    assert view.changed([ledger]).how == "whole"
    assert_as_whole(view, tmp_path)
    notice = content / "updates/notices/2029-02-10-notice.md"
    notice.write_text(
        notice.read_text(encoding="utf-8").replace("title: 2029年", "title: 示例区2029年"), encoding="utf-8"
    )
    assert view.changed([notice]).how == "whole"
    assert "示例区2029年重点民生实事工作目标任务（CSV" in (
        view.out / "updates/notices/2029-02-10-notice/index.html"
    ).read_text(encoding="utf-8")
    assert_as_whole(view, tmp_path)
