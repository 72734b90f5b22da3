"""Installable anywhere: the wheel carries the portal's templates, static files and schemas, and
gives the ``minsheng`` command; ``python -m portal`` is the same command line."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def _wheel(tmp_path: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("minsheng_portal-*.whl")
    return wheel


def test_the_installed_package_builds_a_site_from_anywhere(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    installed = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(installed)
    data = {"templates/base.html", "schema/projects.schema.yaml", "static/css/portal.css", "static/js/search.js"}
    assert {f"portal/_data/{name}" for name in data} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "minsheng = portal.cli:console" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # Run from another folder with only the installed copy on the path: nothing found beside a checkout.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(installed), "PORTAL_CACHE": "off"}
    command = [sys.executable, "-c", "import portal.cli, sys; sys.exit(portal.cli.main(prog='minsheng'))"]
    out = elsewhere / "site"
    done = subprocess.run(
        [*command, "build", "--content", str(ROOT / "content"), "--out", str(out)],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "static").is_dir() and (out / "projects" / "2020-01" / "index.html").is_file()
    found = subprocess.run(
        [sys.executable, "-c", "import portal.paths as p; print(p.INSTALLED, p.TEMPLATES_DIR)"],
        cwd=elsewhere,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert found.stdout.split() == ["True", str(installed / "portal" / "_data" / "templates")]


def test_python_dash_m_portal_is_the_same_command_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "portal", "check", "--content", str(ROOT / "content")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("内容无误：21 个项目")
    wrong = subprocess.run([sys.executable, "-m", "portal", "nonsense"], cwd=ROOT, capture_output=True, text=True)
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines()[0].startswith("usage: python -m portal")
