"""The filter pipeline per comment, each length class, against better-profanity and a word-list regex in the same run."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import LENGTH_CLASSES, Sample, baseline_word_list
from benchmarks.measure import Figure, percentile
from benchmarks.settings import Settings

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "moderation" / "data" / "articles" / "us-cuba-migration-talks.txt"
SPANISH = Path(__file__).resolve().parent / "data" / "spanish.txt"
US = 1e6  # seconds → microseconds


def run(samples: list[Sample], settings: Settings) -> list[Figure]:
    """All pipeline figures: per-class median and p99, throughput per core, stage costs, policy load.

    The product judges every corpus comment; the slow better-profanity baseline a spread sample of each class.
    """
    from moderation.pipeline import moderate
    from moderation.policy import load_policy

    policy = load_policy()
    context = seed_context(samples)
    product = lambda text: moderate(text, context, policy)  # noqa: E731 - the timed call, named for the tables
    word_regex = compile_baseline_regex()
    baselines = {"better-profanity contains_profanity": better_profanity_check(), "word-list regex": word_regex.search}
    for check in (product, *baselines.values()):
        check(samples[0].text)  # first calls compile and load word lists

    by_class = {name: [s.text for s in samples if s.length_class == name] for name in LENGTH_CLASSES}
    figures = []
    totals: dict[str, list[float]] = {"product": [], **{name: [] for name in baselines}}
    for length_class, texts in by_class.items():
        sampled = texts[:: max(1, len(texts) // settings.baseline_per_class)][: settings.baseline_per_class]
        ours = [time_each(product, texts) for _ in range(settings.repeats)]
        # On a shared machine a wall-clock p99 also measures the other jobs that pre-empted us; CPU time does not.
        ours_cpu = [time_each(product, texts, time.thread_time) for _ in range(settings.repeats)]
        theirs = {name: [time_each(check, sampled) for _ in range(settings.repeats)] for name, check in baselines.items()}
        totals["product"].append(_rate(ours))
        for name, runs in theirs.items():
            totals[name].append(_rate(runs))
        figures += _class_figures(length_class, len(texts), len(sampled), ours, ours_cpu, theirs)
    figures.append(_throughput(totals, settings.repeats))
    figures.append(spanish_figure(samples, product, settings.repeats))
    figures += stage_figures(by_class["long"], context, policy, settings.repeats)
    figures += policy_load_figures(settings.repeats)
    return figures


def seed_context(samples: list[Sample]):
    """What a comment on the seed story is judged against: its title and text and the author's last five comments."""
    from moderation.pipeline.types import ModerationContext

    header, _, body = SEED_ARTICLE.read_text(encoding="utf-8").partition("\n\n")
    title = header.splitlines()[0].removeprefix("Title:").strip()
    recent = tuple(s.text for s in samples if s.kind == "clean" and s.length_class == "typical")[:5]
    return ModerationContext(article_title=title, article_text=body, recent_texts=recent)


def better_profanity_check() -> Callable[[str], bool]:
    """better-profanity 0.7's contains_profanity with its shipped list loaded, the anchor of the issue."""
    from better_profanity import profanity

    profanity.load_censor_words()
    return profanity.contains_profanity


def compile_baseline_regex() -> re.Pattern:
    """One compiled word-boundary alternation of better-profanity's list: the cheapest word-list filter there is."""
    words = sorted(baseline_word_list(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def time_each(check: Callable[[str], object], texts: list[str], clock=time.perf_counter) -> list[float]:
    """Seconds each call took, in order (wall clock, or the thread's CPU time with clock=time.thread_time)."""
    elapsed = []
    for text in texts:
        start = clock()
        check(text)
        elapsed.append(clock() - start)
    return elapsed


def _rate(runs: list[list[float]]) -> float:
    """Comments a second over all the repeats of one class."""
    return sum(len(r) for r in runs) / sum(sum(r) for r in runs)


def _class_figures(length_class, count, sampled_count, ours, ours_cpu, theirs) -> list[Figure]:
    target_chars = LENGTH_CLASSES[length_class][0]
    label = f"{length_class} (~{target_chars:,} chars)"
    profanity_runs = theirs["better-profanity contains_profanity"]
    regex_runs = theirs["word-list regex"]
    median = Figure(
        "pipeline", f"{label} median, n={count}", "µs", [percentile(r, 0.5) * US for r in ours],
        f"contains_profanity, n={sampled_count}", [percentile(r, 0.5) * US for r in profanity_runs],
    )
    p99 = Figure(
        "pipeline", f"{label} p99", "µs", [percentile(r, 0.99) * US for r in ours],
        "contains_profanity p99", [percentile(r, 0.99) * US for r in profanity_runs],
    )
    regex = Figure(
        "pipeline", f"{label} median", "µs", [percentile(r, 0.5) * US for r in ours],
        "word-list regex", [percentile(r, 0.5) * US for r in regex_runs],
    )
    p99_cpu = Figure("pipeline", f"{label} p99, CPU time", "µs", [percentile(r, 0.99) * US for r in ours_cpu],
                     note="no pre-emption by other jobs")
    if length_class == "typical":
        # Issue 11's targets, with the learned models in: typical median ≤ 500 µs, long (2,000-5,000 chars) p99 ≤ 25 ms.
        median.target = "≤500 µs"
        median.check(lambda f: f.median <= 500)
    if length_class == "long":
        for figure in (p99, p99_cpu):
            figure.target = "≤25 ms"
            figure.check(lambda f: f.median <= 25_000)
    return [median, p99, p99_cpu, regex]


def _throughput(totals: dict[str, list[float]], repeats: int) -> Figure:
    """Comments a second on one core over the whole corpus, each class weighted equally."""
    def harmonic(rates: list[float]) -> float:
        return len(rates) / sum(1 / r for r in rates)

    figure = Figure(
        "pipeline", "comments/s per core (all lengths)", "/s", [harmonic(totals["product"])],
        "contains_profanity", [harmonic(totals["better-profanity contains_profanity"])], higher_is_better=True,
        note=f"over {repeats} repeats",
    )
    # Issue 11: a mean of at most 1.5 ms a comment over all lengths, and at least 50 times better-profanity's rate.
    figure.target = "≥667/s (mean ≤1.5 ms) and ≥50×"
    figure.check(lambda f: f.median >= 1000 / 1.5 and f.ratio >= 50)
    return figure


def spanish_figure(samples: list[Sample], product: Callable[[str], object], repeats: int) -> Figure:
    """A Spanish comment (benchmarks/data/spanish.txt) against the English corpus comment nearest its length, each
    judged whole (language detection included): issue 12's Spanish comment costs at most 1.5 times an English one."""
    spanish = [line for line in SPANISH.read_text(encoding="utf-8").splitlines() if line.strip()]
    english = sorted((s.text for s in samples if s.length_class != "long"), key=len)
    lengths = [len(text) for text in english]
    paired = [english[min(range(len(english)), key=lambda i: abs(lengths[i] - len(text)))] for text in spanish]
    ours = [percentile(time_each(product, spanish), 0.5) * US for _ in range(repeats)]
    theirs = [percentile(time_each(product, paired), 0.5) * US for _ in range(repeats)]
    figure = Figure("pipeline", f"Spanish comment median, n={len(spanish)}", "µs", ours,
                    "English comment of the same length", theirs,
                    note=f"~{sum(map(len, spanish)) // len(spanish)} chars")
    figure.target = "≤1.5× English"
    return figure.check(lambda f: f.ratio >= 1 / 1.5)


def stage_figures(texts: list[str], context, policy, repeats: int) -> list[Figure]:
    """Where a long comment's time goes: normalisation, then each rule's filter on the normalised text."""
    from moderation.pipeline.filters import FILTERS
    from moderation.pipeline.normalise import normalise

    normalised = [normalise(text) for text in texts]
    figures = [Figure("pipeline stage", "long: normalise", "µs",
                      [percentile(time_each(normalise, texts), 0.5) * US for _ in range(repeats)])]
    for rule in policy.rules:
        check = FILTERS[rule.filter]
        runs = []
        for _ in range(repeats):
            runs.append(percentile(time_each(lambda i: check(normalised[i], context, rule), range(len(texts))), 0.5))
        figures.append(Figure("pipeline stage", f"long: {rule.id} filter", "µs", [r * US for r in runs]))
    return figures


def policy_load_figures(repeats: int) -> list[Figure]:
    """Loading the policy and compiling its word lists, in a fresh interpreter each time; memory it keeps."""
    results = [json.loads(subprocess.run(
        [sys.executable, "-c", "from benchmarks.pipeline_bench import measure_policy_load; measure_policy_load()"],
        check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent,
    ).stdout) for _ in range(repeats)]
    return [
        Figure("policy", "load_policy()", "ms", [r["load_s"] * 1e3 for r in results]),
        Figure("policy", "load + compile lexicons (first comment)", "ms", [r["ready_s"] * 1e3 for r in results]),
        Figure("policy", "memory kept by a loaded, compiled policy", "MiB", [r["kept_bytes"] / 2**20 for r in results]),
    ]


def measure_policy_load() -> None:
    """Print, as JSON, the cold load and compile time and the memory a second loaded policy keeps."""
    import tracemalloc

    from moderation.pipeline import moderate
    from moderation.pipeline.types import ModerationContext
    from moderation.policy import load_policy

    text = "A first comment, to compile every filter's word lists."
    start = time.perf_counter()
    policy = load_policy()
    loaded = time.perf_counter()
    moderate(text, ModerationContext(), policy)
    ready = time.perf_counter()
    tracemalloc.start()
    second = load_policy()
    moderate(text, ModerationContext(), second)
    kept, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"load_s": loaded - start, "ready_s": ready - start, "kept_bytes": kept}))
