"""Shared fixtures: content trees written inline, the command line run in-process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import textwrap
from pathlib import Path

import pytest

from portal.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

SITE_YAML = """\
title: 测试区民生实事
publisher: 测试区人民政府办公室
site_url: https://example.gov.cn
base_url: /
language: zh-CN
report_due_day: 25
organizer: 测试区人民政府办公室
site_code: "5099990002"
icp: 测ICP备00000000号
police_record: 测公网安备 50999900000002号
"""

PROJECTS_CSV = """\
id,seq,name,target,leaders,units,level,voted,category
2030-01,1,新建公厕,新建公厕10座，普及率达到80%以上。,王一,区城管局,区级,false,城市建设
2030-02,2,老旧小区加装电梯,完成加装电梯120台。,王一、李二,区住建委、区民政局,市级,true,住房
2030-03,3,助餐服务,在城市社区开展助餐服务。,李二,区民政局,区级,false,养老
"""

INDICATORS_CSV = """\
project,id,name,target,unit,measure,direction
2030-01,toilets,新建公厕,10,座,cumulative,at_least
2030-01,coverage,普及率,80,%,level,at_least
2030-02,lifts,加装电梯,120,台,cumulative,at_least
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write {relative path: text} under root; text is dedented."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data), encoding="utf-8")
    return root


def post(front: str, body: str = "正文。") -> str:
    return "---\n" + textwrap.dedent(front).strip() + "\n---\n" + body + "\n"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A small valid content tree (year 2030, three projects) to modify per test."""
    return write_tree(
        tmp_path / "content",
        {
            "site.yaml": SITE_YAML,
            "projects/2030.csv": PROJECTS_CSV,
            "projects/2030-indicators.csv": INDICATORS_CSV,
        },
    )


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run build.py in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    if cwd:
        os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def chromium() -> str:
    """The Chromium binary; browser tests skip without one, except in CI where they fail."""
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI (install Debian's chromium)")
    pytest.skip("Chromium not installed")


KEPT_BESIDE = (".portal-record", ".portal-scan")  # incremental/record.py, write/fingerprint.py


def beside(folder: Path) -> list[str]:
    """What a folder holds, but what a build keeps beside its output for the next one (its
    record, its scan's digests): no staging folder, no mirror, nothing else."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(KEPT_BESIDE))


def free_port() -> int:
    """A port on 127.0.0.1 no one listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """Ctrl+C to a preview, so that it removes its folder; killed if it does not stop."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
