"""Every failure a user can meet that is not their content's fault ends in one Chinese line
saying what to do, with exit status 1 or 2, and a traceback only with -v: the search indexer
failing, a library missing from the Python that runs the portal."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT, run


def test_a_failing_search_indexer_is_one_line_and_the_old_site_stays(
    content: Path, tmp_path: Path, monkeypatch
) -> None:
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (content / "projects" / "2030.csv").write_text(
        (content / "projects" / "2030.csv").read_text(encoding="utf-8").replace("新建公厕10座", "新建公厕12座"),
        encoding="utf-8",
    )
    # found before the real one by the indexer's child: a Pagefind binary that fails
    fake = tmp_path / "fake" / "pagefind_bin_extended"
    fake.mkdir(parents=True)
    binary = tmp_path / "fake" / "pagefind_extended"
    binary.write_text("#!/bin/sh\necho 'pagefind: out of memory'\nexit 3\n", encoding="utf-8")
    binary.chmod(0o755)
    (fake / "__init__.py").write_text(
        f"from pathlib import Path\ndef get_executable():\n    return Path({str(binary)!r})\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "fake"))
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 1
    assert err == (
        "build.py: Pagefind 建立搜索索引失败（3）：pagefind: out of memory。网站未生成，原有的网站保持原样；"
        "若提示缺少 pagefind，请运行 make site（或 pip install -r requirements.txt）重新安装依赖\n"
    )
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_missing_library_says_how_to_install_it(content: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["nh3"] = None  # as if it were not installed
        from portal.cli import main
        sys.exit(main(["check", "--content", {str(content)!r}]))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == (
        "build.py: 缺少程序依赖的软件包 nh3：请在项目文件夹运行 make site（或 pip install -r requirements.txt）"
        "安装依赖后再试 (missing dependency)\n"
    )
    verbose = subprocess.run(
        [sys.executable, "-c", script.replace('["check"', '["-v", "check"')], cwd=ROOT, capture_output=True, text=True
    )
    assert "Traceback" in verbose.stderr and verbose.stderr.endswith("(missing dependency)\n")


def test_a_usage_message_shows_control_characters_instead_of_obeying_them(content: Path, tmp_path: Path) -> None:
    code, _, err = run("form", "import", str(tmp_path / "a\x1b[2Jb.xlsx"), "--content", str(content))
    assert code == 2
    assert "\x1b" not in err and "\\u001b[2Jb.xlsx" in err
