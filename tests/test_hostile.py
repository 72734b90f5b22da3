"""What anything in content/ can do, named like content or not: special files and broken links
refused at their place (never a hang, never a traceback) and counted in the inputs' digest,
which reads nothing the build would not; photos in every mode Pillow decodes, of any shape,
used more than once."""

from __future__ import annotations

import io
import os
import shutil
import socket
from pathlib import Path

import pytest
from conftest import post, run, write_tree
from PIL import Image
from test_limits import NEWS, problems, within

from portal.write import fingerprint

# ---------------------------------------------------------------- special files and links

PIPE = "是命名管道（FIFO），不是普通文件：请删除它"
NOWHERE = "链接指向的文件不存在：请删除这个链接，或把它指向的文件放回原处"
LOOP = "链接循环指向自身，无法读取：请删除这个链接"


def test_a_pipe_named_like_content_is_refused_not_waited_on(content: Path) -> None:
    (content / "updates").mkdir()
    for name in ("updates/a.md", "updates/photo.jpg", "projects/2031.csv"):
        os.mkfifo(content / name)
    assert problems(content) == [
        f"content/projects/2031.csv: {PIPE}",
        f"content/updates/a.md: {PIPE}",
        f"content/updates/photo.jpg: {PIPE}",
    ]
    (content / "site.yaml").unlink()
    os.mkfifo(content / "site.yaml")
    assert f"content/site.yaml: {PIPE}" in problems(content)
    shutil.rmtree(content / "updates")
    os.mkfifo(content / "updates")
    assert "content/updates: 不是文件夹：文章应放在 updates 文件夹中，请删除它后新建文件夹" in problems(content)


def test_a_socket_is_refused(content: Path) -> None:
    (content / "updates").mkdir()
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(content / "updates/a.md"))
        assert problems(content) == ["content/updates/a.md: 是套接字（socket），不是普通文件：请删除它"]


def test_broken_and_looping_links_are_refused(content: Path) -> None:
    write_tree(content, {"updates/a.md": post(NEWS, "![环](e.jpg)")})
    os.symlink("nowhere.md", content / "updates/b.md")
    os.symlink("c.md", content / "updates/c.md")
    os.symlink("nowhere.jpg", content / "updates/d.jpg")
    os.symlink("e.jpg", content / "updates/e.jpg")
    os.symlink("2031.csv", content / "projects/2031.csv")
    os.symlink("nowhere.csv", content / "projects/2032.csv")
    (content / "projects/2033.csv").mkdir()
    assert problems(content) == [
        f"content/projects/2031.csv: {LOOP}",
        f"content/projects/2032.csv: {NOWHERE}",
        "content/projects/2033.csv: 是文件夹，不是文件：请改名或移走",
        "content/updates/a.md:6: 找不到图片“e.jpg”：请放在文章旁边",
        f"content/updates/b.md: {NOWHERE}",
        f"content/updates/c.md: {LOOP}",
        f"content/updates/d.jpg: {NOWHERE}",
        f"content/updates/e.jpg: {LOOP}",
    ]
    (content / "site.yaml").unlink()
    os.symlink("nowhere.yaml", content / "site.yaml")
    assert f"content/site.yaml: {NOWHERE}" in problems(content)


def test_a_broken_link_added_to_a_built_site_is_no_longer_up_to_date(content: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    os.symlink("nowhere.md", content / "projects/2031.csv")
    code, out, err = run("build", "--content", str(content), "--out", str(site))
    assert (code, out, err.splitlines()[0]) == (1, "", f"{content}/projects/2031.csv: {NOWHERE}")


def test_the_digest_reads_no_file_the_build_would_not(content: Path, monkeypatch) -> None:
    write_tree(content, {"updates/a.md": post(NEWS), "video.mp4": b"\0" * 2_000_000, "updates/big.md": "#" * 1_000_001})
    os.mkfifo(content / "pipe.md")
    opened: list[str] = []

    def recording(real):
        def opening(path, *args, **kwargs):
            opened.append(str(path))
            return real(path, *args, **kwargs)

        return opening

    monkeypatch.setattr(io, "open", recording(io.open))  # pathlib's
    monkeypatch.setattr(os, "open", recording(os.open))
    with within(10):
        before = fingerprint.digest(content, drafts=False)
    read = sorted(Path(path).relative_to(content).as_posix() for path in opened if str(content) in path)
    assert read == ["projects/2030-indicators.csv", "projects/2030.csv", "site.yaml", "updates/a.md"]
    write_tree(content, {"video.mp4": b"\0" * 2_000_001})
    assert fingerprint.digest(content, drafts=False) != before
    before = fingerprint.digest(content, drafts=False)
    times = os.stat(content / "updates/a.md")
    write_tree(content, {"updates/a.md": post(NEWS, "改了。")})  # what the build reads: every byte counts
    os.utime(content / "updates/a.md", ns=(times.st_atime_ns, times.st_mtime_ns))
    assert os.stat(content / "updates/a.md").st_size == times.st_size
    assert fingerprint.digest(content, drafts=False) != before


# ---------------------------------------------------------------- photos


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def palette_with_transparency() -> bytes:
    """Red on the left, transparent on the right."""
    image = Image.new("P", (600, 400))
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.paste(1, (0, 0, 300, 400))
    return encoded(image, "PNG", transparency=0)


DECODED = {  # a file of every mode Pillow's JPEG, PNG and WebP decoders give
    "1": encoded(Image.new("1", (600, 400), 1), "PNG"),
    "L": encoded(Image.new("L", (600, 400), 90), "PNG"),
    "LA": encoded(Image.new("LA", (600, 400), (90, 0)), "PNG"),  # transparent
    "P": encoded(Image.new("P", (600, 400), 3), "PNG"),
    "P-transparent": palette_with_transparency(),
    "RGB": encoded(Image.new("RGB", (600, 400), "red"), "PNG"),
    "RGBA": encoded(Image.new("RGBA", (600, 400), (255, 0, 0, 0)), "PNG"),  # transparent
    "I16": encoded(Image.new("I;16", (600, 400), 30_000), "PNG"),
    "L-jpeg": encoded(Image.new("L", (600, 400), 90), "JPEG"),
    "CMYK-jpeg": encoded(Image.new("CMYK", (600, 400), (0, 255, 255, 0)), "JPEG"),
    "RGBA-webp": encoded(Image.new("RGBA", (600, 400), (255, 0, 0, 0)), "WEBP"),  # transparent
}


@pytest.mark.parametrize("suffix", [".jpg", ".png", ".webp"])
def test_a_photo_of_every_mode_is_published_in_a_mode_its_name_takes(content: Path, tmp_path: Path, suffix) -> None:
    files = {f"updates/{mode}{suffix}": data for mode, data in DECODED.items()}
    body = "\n\n".join(f"![照片 {mode}]({mode}{suffix})" for mode in DECODED)
    write_tree(content, {"updates/p.md": post(NEWS, body), **files})
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    transparent = (255, 255, 255, 255) if suffix == ".jpg" else 0  # shown over white, or kept
    for mode in DECODED:
        with Image.open(site / f"updates/p/{mode}-480{suffix}") as variant:
            assert variant.size == (480, 320), mode
            if mode == "I16":  # 16 bits kept in a PNG, scaled to 8 elsewhere (30000 / 256), not cut off at white
                value = variant.getpixel((0, 0)) if suffix == ".png" else variant.convert("L").getpixel((0, 0))
                assert value == pytest.approx(30_000 if suffix == ".png" else 117, abs=1), variant.mode
            if mode in ("LA", "RGBA", "RGBA-webp", "P-transparent"):
                pixel = variant.convert("RGBA").getpixel((470, 0))
                assert (pixel if suffix == ".jpg" else pixel[3]) == transparent, (mode, pixel)


def test_an_image_of_another_format_is_refused(content: Path) -> None:
    tiff = encoded(Image.new("F", (60, 40), 0.5), "TIFF")
    write_tree(content, {"updates/p.md": post(NEWS, "![浮点图](f.png)"), "updates/f.png": tiff})
    assert problems(content) == [
        "content/updates/p.md:6: 图片“f.png”不是 JPEG、PNG 或 WebP 图片，或已损坏：请另存为 JPEG 或 PNG 后再用"
    ]


def test_a_strip_too_thin_for_a_web_size_keeps_a_row(content: Path, tmp_path: Path) -> None:
    strip = encoded(Image.new("RGB", (20_000, 3), "blue"), "PNG")
    write_tree(content, {"updates/p.md": post(NEWS, "![全景](strip.png)"), "updates/strip.png": strip})
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    sizes = {}
    for width in (480, 960, 1600):
        with Image.open(site / f"updates/p/strip-{width}.png") as variant:
            sizes[width] = variant.size
    assert sizes == {480: (480, 1), 960: (960, 1), 1600: (1600, 1)}
    page = (site / "updates/p/index.html").read_text(encoding="utf-8")
    assert 'width="960" height="1"' in page  # the page reserves the row it shows


def test_a_photo_used_twice_is_published_once(content: Path, tmp_path: Path) -> None:
    photo = encoded(Image.new("RGB", (600, 400), "green"), "JPEG")
    body = "![现场](a.jpg)\n\n![现场再看](./a.jpg)\n\n![又一次](a.jpg)"
    write_tree(content, {"updates/p.md": post(NEWS, body), "updates/a.jpg": photo})
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    assert sorted(p.name for p in (site / "updates/p").glob("a-*")) == ["a-480.jpg", "a-600.jpg"]
    page = (site / "updates/p/index.html").read_text(encoding="utf-8")
    assert page.count('src="/updates/p/a-600.jpg"') == 3


def test_two_photos_published_under_one_name_are_refused(content: Path) -> None:
    photo = encoded(Image.new("RGB", (600, 400), "green"), "JPEG")
    body = "![一](a.jpg)\n\n![二](a.jpeg)"
    write_tree(content, {"updates/p.md": post(NEWS, body), "updates/a.jpg": photo, "updates/a.jpeg": photo})
    assert problems(content) == [
        "content/updates/p.md: 图片“a.jpeg”和“a.jpg”会发布为同一个文件名 a.jpg：请给其中一个改名"
    ]


# ---------------------------------------------------------------- encodings of a YAML table

YAML_PROJECTS = """\
- id: 2030-01
  seq: 1
  name: 新建公厕
  target: 新建公厕10座，普及率达到80%以上。
  leaders: [王一]
  units: [区城管局]
  level: 区级
  voted: false
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_yaml_table_reads_in_the_encodings_a_csv_does(content: Path, encoding: str) -> None:
    (content / "projects/2030.csv").unlink()
    (content / "projects/2030-indicators.csv").write_text("project,id,name,target,unit,measure,direction\n")
    (content / "projects/2030.yaml").write_bytes(YAML_PROJECTS.encode(encoding))
    code, out, err = run("check", "--content", str(content))
    assert (code, err) == (0, "")
    assert out.startswith("内容无误：1 个项目")


def test_a_yaml_table_in_no_known_encoding_is_located(content: Path) -> None:
    (content / "projects/2030.csv").unlink()
    (content / "projects/2030-indicators.csv").write_text("project,id,name,target,unit,measure,direction\n")
    (content / "projects/2030.yaml").write_bytes(b"- id: 2030-01\n  name: \xff\xfe\xfd\n")
    assert problems(content) == [
        "content/projects/2030.yaml:2: 无法识别文件编码（既不是 UTF-8 也不是 GB18030）："
        "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”"
    ]
