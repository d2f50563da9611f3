"""Figures and the one table: each figure is a median over repeats with its min–max, beside its baseline and target."""
from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    """One row of the table.

    `values` are one number per repeat (already in `unit`); `baseline_values` are the same for the figure it is
    compared to, measured in the same run. `higher_is_better` says which way the ratio reads: a time is compared as
    baseline ÷ figure ("times faster"), a rate as figure ÷ baseline ("share of the baseline").
    """

    suite: str
    name: str
    unit: str
    values: list[float]
    baseline_name: str = ""
    baseline_values: list[float] = field(default_factory=list)
    higher_is_better: bool = False
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline_values) if self.baseline_values else None

    @property
    def ratio(self) -> float | None:
        """How the figure compares with its baseline, oriented so that bigger is better for the product."""
        baseline = self.baseline_median
        if not baseline or not self.median:
            return None
        return self.median / baseline if self.higher_is_better else baseline / self.median

    def check(self, passes: Callable[["Figure"], bool]) -> "Figure":
        """Record whether the target holds; a figure with nothing to compare (every request failed) misses it."""
        try:
            self.met = bool(passes(self))
        except TypeError:
            self.met = False
        return self

    def to_dict(self) -> dict:
        return asdict(self) | {"median": self.median, "baseline_median": self.baseline_median, "ratio": self.ratio}


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def fmt(value: float | None, unit: str = "") -> str:
    """A number short enough for a table cell, with its unit."""
    if value is None:
        return "–"
    if value >= 100:
        text = f"{value:,.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def spread(values: Sequence[float], unit: str) -> str:
    """min–max over the repeats (just the value when there was one repeat)."""
    if len(values) < 2:
        return ""
    return f"{fmt(min(values))}–{fmt(max(values), unit)}"


def ratio_text(figure: Figure) -> str:
    ratio = figure.ratio
    if ratio is None:
        return "–"
    if figure.higher_is_better:  # a share of the baseline (the no-op route), or a multiple of a slower one
        return f"{ratio:.0%} of it" if ratio < 2 else f"{ratio:,.0f}× it"
    if figure.unit not in TIME_UNITS:
        return f"{1 / ratio:.2f}× it"
    if ratio < 1:
        return f"{1 / ratio:,.1f}× slower"
    return f"{ratio:,.0f}× faster" if ratio >= 10 else f"{ratio:.1f}× faster"


def status_text(figure: Figure) -> str:
    return {True: "met", False: "MISSED", None: ""}[figure.met]


TIME_UNITS = ("µs", "ms", "s")
HEADER = ("suite", "figure", "median", "min–max", "baseline (same run)", "baseline median", "ratio", "target", "")


def table_rows(figures: list[Figure]) -> list[tuple[str, ...]]:
    return [
        (
            f.suite,
            f.name + (f" ({f.note})" if f.note else ""),
            fmt(f.median, f.unit),
            spread(f.values, f.unit),
            f.baseline_name,
            fmt(f.baseline_median, f.unit) if f.baseline_values else "",
            ratio_text(f) if f.baseline_values else "",
            f.target,
            status_text(f),
        )
        for f in figures
    ]


def markdown_table(figures: list[Figure]) -> str:
    """The table as GitHub markdown, for the README and results/."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table_rows(figures)]
    return "\n".join(lines)


def text_table(figures: list[Figure]) -> str:
    """The table in aligned columns, for the terminal."""
    rows = [HEADER, *table_rows(figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    rule = "  ".join("-" * w for w in widths)
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join([lines[0], rule, *lines[1:]])
