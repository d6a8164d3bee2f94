"""Speed, parallel speedup, cold start, memory and linear time, in one run on one machine.

    python benchmarks/bench.py            # writes benchmarks/RESULTS.md and prints it

For each letter set (``corpora/letters`` and ``../shared/dev/texts`` when present):

(a) underthesea ``word_tokenize`` alone over every non-blank line of the letters: the floor;
(b) ``vn_obligations.extract`` over the same letters in this process (model loaded, warmed up
    on a letter outside the set), timed letter by letter right after (a) on the same letter;
(c) ``extract_many`` over the same files on all cores;

then letters/s and chars/s of each, the ratio (b)/(a) of throughputs, the parallel speedup (the
same batch on one core against all cores, run alternately, best of two each),
cold start (a fresh ``python -c`` that imports the package and loads the model), peak RSS of
a fresh process extracting all the letters, and time against size for 1x, 2x and 4x inputs.
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import vn_obligations as vo  # noqa: E402
from vn_obligations import tokenize as tok  # noqa: E402
from vn_obligations.batch import cpu_count, extract_many  # noqa: E402
from vn_obligations.io import read_letter  # noqa: E402

TARGETS = {"ratio": 0.7, "speedup": 1.7, "cold": 2.0, "rss": 400.0}
WARM_UP = REPO / "tests" / "letters" / "hard_wrap_page_break.txt"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                      if x.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB"
        load = Path("/proc/loadavg").read_text().split()[:3]
    except (OSError, StopIteration):
        ram, load = "unknown", ["?"]
    return {"nproc": str(os.cpu_count()), "usable cores": str(cpu_count()), "cpu": cpu, "ram": ram,
            "python": platform.python_version(), "platform": platform.platform(),
            "load average at start (1, 5, 15 min)": " ".join(load),
            "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}


def timed(f) -> float:
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def floor_and_extract(texts: list[str], model) -> tuple[float, float]:
    """(a) and (b), interleaved letter by letter.

    This machine's speed drifts by a quarter within minutes; timing (a) for
    each letter right before (b) lets both see the same machine, so their
    ratio measures the code, not the drift.  Each letter's (a) is
    ``word_tokenize`` over its non-blank lines; (b) is ``extract`` of it.
    """
    from underthesea import word_tokenize

    word_tokenize("khởi động mô hình")
    tok.clear_cache()  # every letter set starts with an empty token cache
    ta = tb = 0.0
    for text in texts:
        lines = [ln for ln in text.split("\n") if ln.strip()]
        ta += timed(lambda lines=lines: [word_tokenize(ln) for ln in lines])
        tb += timed(lambda text=text: vo.extract(text, model=model))
    return ta, tb


def all_cores(paths: list[Path], model) -> tuple[float, int]:
    tok.clear_cache()  # forked workers inherit the parent's cache: empty it first
    out: list = []
    t = timed(lambda: out.extend(extract_many(paths, workers=cpu_count(), model=model)))
    return t, sum(isinstance(r, vo.Failure) for r in out)


def one_core(paths: list[Path], model) -> float:
    """``extract_many`` with one worker: the same batch path as (c), on one core."""
    tok.clear_cache()
    return timed(lambda: list(extract_many(paths, workers=1, model=model)))


def speedup(paths: list[Path], model, rounds: int = 2) -> tuple[float, float, int]:
    """One core and all cores, alternately, best of *rounds* each (the machine's speed drifts)."""
    one, many, failed = [], [], 0
    for _ in range(rounds):
        one.append(one_core(paths, model))
        t, failed = all_cores(paths, model)
        many.append(t)
    return min(one), min(many), failed


def cold_start(runs: int = 5) -> tuple[list[float], list[float], list[float]]:
    """Fresh interpreters: import + load the model; the same from the skops file alone (no
    companion); and import + load + one short letter."""
    import shutil
    import tempfile

    from vn_obligations.classify import MODEL_PATH

    bare = Path(tempfile.mkdtemp()) / "classifier.skops"
    shutil.copy(MODEL_PATH, bare)
    load = "import vn_obligations as vo; vo.load_model()"
    skops_only = f"import vn_obligations as vo; vo.load_model({str(bare)!r})"
    first = f"import vn_obligations as vo; vo.load_model(); vo.extract_file({str(WARM_UP)!r})"
    out: tuple[list[float], list[float], list[float]] = ([], [], [])
    for code, acc in ((load, out[0]), (skops_only, out[1]), (first, out[2])):
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
            acc.append(time.perf_counter() - t)
    return out


# VmHWM is the peak of this process's own memory since exec; ru_maxrss is not: Linux carries it
# over exec from the forked copy of the parent, so a big parent would inflate the child's figure
RSS_CHILD = """
import resource, sys
import vn_obligations as vo
m = vo.load_model()
for p in sys.argv[1:]:
    vo.extract_file(p, model=m)
try:
    hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM"))
except (OSError, StopIteration):
    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(hwm)
"""


def peak_rss(paths: list[Path]) -> tuple[float, float]:
    """Peak RSS in MB of a fresh process extracting all *paths*: its own VmHWM and getrusage(CHILDREN)."""
    import resource

    r = subprocess.run([sys.executable, "-c", RSS_CHILD, *map(str, paths)], check=True, cwd=REPO,
                       capture_output=True, text=True)
    own = int(r.stdout.split()[-1]) / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _safe(text: str, model) -> float | str:
    """Seconds to extract *text*, or the exception it raised (a bug to report, not to hide)."""
    try:
        return timed(lambda: vo.extract(text, model=model))
    except Exception as e:
        return f"crashed: {type(e).__name__}: {e}"


def linearity(texts: list[str], model) -> list[tuple[str, int, float]]:
    """Time against size: one letter made of k letters' text, and a list of k items (k, 2k, 4k)."""
    rows = []
    for k in (1, 2, 4):
        text = "\n".join(texts[:10 * k])  # different letters, so the token cache gives nothing away
        tok.clear_cache()
        rows.append((f"{10 * k} letters joined into one", len(text), _safe(text, model)))
    for n in (2500, 5000, 10000):
        items = "\n".join(f"{i}. Sở Y tế chủ trì, phối hợp với các đơn vị thực hiện nhiệm vụ số {i} "
                          f"và báo cáo trước ngày {1 + i % 28}/{1 + i % 12}/2030;" for i in range(1, n + 1))
        text = "Kính gửi: Các sở, ban, ngành\n\nĐề nghị các cơ quan thực hiện các nội dung sau:\n" + items + "\n"
        tok.clear_cache()
        rows.append((f"list of {n:,} numbered items", len(text), _safe(text, model)))
    return rows


def main() -> int:
    info = machine()
    print("machine:", info, flush=True)
    model = vo.load_model()
    vo.extract_file(WARM_UP, model=model)  # first-call costs (underthesea, spaCy matchers) are cold start
    sets = [("corpora/letters", REPO / "corpora" / "letters"), ("../shared/dev/texts", REPO.parent / "shared" / "dev" / "texts")]
    results = []
    for name, folder in sets:
        paths = sorted(folder.glob("*.txt"))
        if not paths:
            continue
        texts = [read_letter(p) for p in paths]
        chars = sum(map(len, texts))
        print(f"{name}: {len(paths)} letters, {chars:,} chars", flush=True)
        ta, tb = floor_and_extract(texts, model)
        print(f"  (a) floor {ta:.2f} s, (b) extract {tb:.2f} s", flush=True)
        t1, tc, failed = speedup(paths, model)
        print(f"  (c) extract_many x{cpu_count()} {tc:.2f} s ({failed} failed)", flush=True)
        own, children = peak_rss(paths)
        print(f"  peak RSS {own:.0f} MB", flush=True)
        results.append(dict(name=name, n=len(paths), chars=chars, ta=ta, tb=tb, t1=t1, tc=tc, failed=failed,
                            rss=own, rss_children=children))
    cold, skops_only, first = cold_start()
    print(f"cold start {cold}, from the skops file alone {skops_only}, with a first letter {first}", flush=True)
    lin = linearity([read_letter(p) for p in sorted((REPO / "corpora" / "letters").glob("*.txt"))], model)
    for row in lin:
        print("  linear:", row, flush=True)
    report = render(info, results, cold, skops_only, first, lin)
    (HERE / "RESULTS.md").write_text(report, "utf-8")
    print(report)
    return 0


def render(info, results, cold, skops_only, first, lin) -> str:
    def ok(flag: bool) -> str:
        return "met" if flag else "**not met**"

    out = ["# Benchmark results", "", "Written by `python benchmarks/bench.py` (one run, one machine).", "",
           "## Machine", ""]
    out += [f"- {k}: {v}" for k, v in info.items()]
    out += ["", "## Throughput", "",
            "| letters | n | chars | (a) word_tokenize floor | (b) extract, 1 process | (c) extract_many, "
            f"{cpu_count()} cores | (b)/(a) | batch on 1 core | speedup |",
            "|---|---:|---:|---|---|---|---:|---|---:|"]
    for r in results:
        def rate(t: float, r=r) -> str:
            return f"{t:.2f} s: {r['n'] / t:.1f} letters/s, {r['chars'] / t:,.0f} chars/s"

        out.append(f"| {r['name']} | {r['n']} | {r['chars']:,} | {rate(r['ta'])} | {rate(r['tb'])} | "
                   f"{rate(r['tc'])} | {r['ta'] / r['tb']:.2f} | {r['t1']:.2f} s | {r['t1'] / r['tc']:.2f} |")
    out += ["", "(a) and (b) are timed letter by letter, (a) right before (b) on the same letter, so that "
            "their ratio sees one machine state; this machine's speed drifts by a quarter within minutes. "
            "The speedup is `extract_many` on one worker against all cores, run alternately, best of two each."]
    med_cold, med_first = statistics.median(cold), statistics.median(first)
    rss = max(r["rss"] for r in results)
    out += ["", "## Cold start and memory", "",
            f"- cold start, `import vn_obligations; load_model()` in a fresh interpreter: median "
            f"{med_cold:.2f} s (runs: {', '.join(f'{x:.2f}' for x in cold)}); the model comes from its "
            f"companion `models/classifier.npz` (see `vn_obligations/frozen.py`)",
            f"- the same from the skops file alone (no companion; `skops.io` imported): median "
            f"{statistics.median(skops_only):.2f} s (runs: {', '.join(f'{x:.2f}' for x in skops_only)})",
            f"- same plus extracting one short letter (underthesea and spaCy matchers loaded): median "
            f"{med_first:.2f} s (runs: {', '.join(f'{x:.2f}' for x in first)})"]
    out += [f"- peak RSS of a fresh process extracting all of {r['name']}: {r['rss']:.0f} MB "
            f"(getrusage(RUSAGE_CHILDREN) so far, which also counts the forked batch workers: {r['rss_children']:.0f} MB)" for r in results]
    out += ["", "## Time against size (linear time check)", "",
            "| input | chars | seconds | µs per char |", "|---|---:|---:|---:|"]
    out += [f"| {name} | {n:,} | {t:.2f} | {t / n * 1e6:.1f} |" if isinstance(t, float) else
            f"| {name} | {n:,} | {t} | |" for name, n, t in lin]
    out += ["", "## Targets", ""]
    for r in results:
        ratio, speed = r["ta"] / r["tb"], r["t1"] / r["tc"]
        out.append(f"- {r['name']}: (b)/(a) = {ratio:.2f} (target ≥ {TARGETS['ratio']}): {ok(ratio >= TARGETS['ratio'])}; "
                   f"speedup on {cpu_count()} cores = {speed:.2f} (target ≥ {TARGETS['speedup']}): "
                   f"{ok(speed >= TARGETS['speedup'])}")
    out.append(f"- cold start {med_cold:.2f} s (target ≤ {TARGETS['cold']} s): {ok(med_cold <= TARGETS['cold'])}")
    out.append(f"- peak RSS {rss:.0f} MB (target ≤ {TARGETS['rss']:.0f} MB): {ok(rss <= TARGETS['rss'])}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
