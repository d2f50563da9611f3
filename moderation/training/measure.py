"""`evaluate --all`: the policy on every public set's held-out rows, beside better-profanity and alt-profanity-check
measured on the same rows in the same run, as the README's table.

Held out means: the development fold of a set the model trained on (datasets.Example.dev), or every row of a set it
never saw (ETHOS, SOCC, the toxic-spans trial file). Each line names the rule whose action counts as flagged.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from moderation.evaluation import Prediction, Row, better_profanity_check, judge, metrics, span_f1
from moderation.training import datasets
from moderation.training.datasets import Example


@dataclass(frozen=True, slots=True)
class Measure:
    """One line of the table: a set, the rows measured, the rule that counts, the figure and its target."""

    name: str
    source: str
    category: str
    label: str
    figure: str
    target: str
    held_out_only: bool = True


MEASURES = (
    Measure("clean news comments held (SOCC)", "socc", "any", "toxic", "held", "≤ 2%", False),
    Measure("hate, adversarial (DynaHate dev): F1 / accuracy", "dynahate", "hate_speech", "hate", "f1_accuracy",
            "≥ 0.65 F1, ≥ 78%"),
    Measure("hate, forum sentences (Stormfront dev): F1", "stormfront", "hate_speech", "hate", "f1", "≥ 0.40"),
    Measure("hate, YouTube and Reddit (ETHOS, unseen): F1", "ethos", "hate_speech", "hate", "f1", "≥ 0.68", False),
    Measure("insults aimed at a person (Kaggle dev): F1", "kaggle_insults", "personal_attack", "insult", "f1",
            "≥ 0.75"),
    Measure("offensive tweets (OLID dev): F1", "olid", "any", "toxic", "f1", "≥ 0.70"),
    Measure("toxic spans (trial, unseen): recall / char-span F1", "toxic_spans_trial", "any", "toxic", "spans",
            "≥ 0.80 / ≥ 0.55", False),
    Measure("forum relevance (QatarLiving dev): off-topic F1", "qatarliving", "off_topic", "off_topic", "f1",
            "≥ 0.50"),
    Measure("comment spam (YouTube dev): F1", "youtube_spam", "off_topic", "off_topic", "f1", "≥ 0.90"),
    # Spanish (models/comments-es.npz; HatEval is never trained on: its licence is non-commercial).
    Measure("Spanish hateful tweets (HatEval dev): hate F1", "hateval", "hate_speech", "hate", "f1", "≥ 0.60"),
    Measure("Spanish offensive comments (OffendES dev): any offensive F1", "offendes", "any", "toxic", "f1",
            "≥ 0.60"),
    Measure("the same, offensive to a person (OffendES dev): F1", "offendes", "personal_attack", "insult", "f1",
            "≥ 0.50"),
    Measure("Spanish aggressive tweets (MEX-A3T val): F1", "mex_a3t", "any", "toxic", "f1", "–"),
    Measure("clean Spanish comments held (OffendES dev, not offensive)", "offendes_clean", "any", "toxic", "held",
            "≤ 2%", False),
)


def held_out(data_dir: Path, measure: Measure) -> list[Example]:
    """The rows a measure is taken on: the development fold, or all rows of a set never trained on."""
    examples = [example for example in datasets.read(data_dir, measure.source) if measure.label in example.labels]
    return [example for example in examples if example.dev or not measure.held_out_only]


def predict(examples: Iterable[Example], category: str, label: str, policy) -> list[Prediction]:
    """The policy's action on each example, in its own context (see evaluation.judge)."""
    return [judge(Row(example.text, example.labels[label], example.chars), category, policy, example.context)
            for example in examples]


def alt_profanity_check() -> Callable[[str], bool] | None:
    """alt-profanity-check's `predict`, the second anchor, when the package is installed (the `train` extra)."""
    try:
        from profanity_check import predict as alt_predict
    except ImportError:
        return None
    return lambda text: bool(alt_predict([text])[0])


def figure(measure: Measure, pairs: list[tuple[bool, bool]], predictions: list[Prediction] | None = None) -> str:
    """The measure's figure for (label, flagged) pairs: a share held, F1 (with accuracy), or span recall and F1."""
    if not pairs:
        return "–"
    found = metrics(pairs)
    if measure.figure == "held":
        return f"{sum(flagged for _, flagged in pairs) / len(pairs):.1%}"
    if measure.figure == "f1_accuracy":
        accuracy = sum(label == flagged for label, flagged in pairs) / len(pairs)
        return f"{found['f1']:.2f} / {accuracy:.0%}"
    if measure.figure == "spans":
        positive = [p for p in predictions or () if p.row.label]
        recall = found["recall"]
        return f"{recall:.2f} / {span_f1(positive):.2f}" if predictions is not None else f"{recall:.2f} / –"
    return f"{found['f1']:.2f}"


def measure_all(data_dir: Path, policy, anchors: bool = True, echo=print) -> list[tuple[Measure, int, str, str, str]]:
    """Every measure whose set is under `data_dir`: (measure, rows, better-profanity, alt-profanity-check, ours);
    without `anchors` their columns are "–" (better-profanity takes about 50 ms a comment: minutes for all sets)."""
    # Memoised per text: several measures read the same rows (OffendES's any-offensive, to-a-person and clean lines).
    checks = [lru_cache(maxsize=None)(check) if check else None
              for check in ([better_profanity_check(), alt_profanity_check()] if anchors else [None, None])]
    table = []
    for measure in MEASURES:
        try:
            examples = held_out(data_dir, measure)
        except FileNotFoundError as missing:
            echo(f"skipped: {missing}")
            continue
        predictions = predict(examples, measure.category, measure.label, policy)
        theirs = [figure(measure, [(p.row.label, check(p.row.text)) for p in predictions]) if check else "–"
                  for check in checks]
        ours = figure(measure, [(p.row.label, p.flagged) for p in predictions], predictions)
        table.append((measure, len(predictions), *theirs, ours))
        echo(f"{measure.name}: {len(predictions)} rows, ours {ours} (better-profanity {theirs[0]}, "
             f"alt-profanity-check {theirs[1]})")
    return table


def markdown(table: list[tuple[Measure, int, str, str, str]]) -> str:
    """The README's table."""
    lines = ["| measured on (held-out rows) | rows | better-profanity | alt-profanity-check | this policy | target |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {measure.name} | {rows} | {bp} | {alt} | **{ours}** | {measure.target} |"
              for measure, rows, bp, alt, ours in table]
    return "\n".join(lines) + "\n"


START_MARKER = "<!-- evaluate --all: start -->"
END_MARKER = "<!-- evaluate --all: end -->"


def write_between_markers(path: Path, table: str) -> None:
    """Replace what lies between the evaluation markers of `path` with `table`; raises ValueError naming the file
    when it has no pair of markers."""
    content = path.read_text(encoding="utf-8")
    start, end = content.find(START_MARKER), content.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"{path}: no {START_MARKER} … {END_MARKER} pair to write the table between")
    path.write_text(content[:start + len(START_MARKER)] + "\n" + table + content[end:], encoding="utf-8")
