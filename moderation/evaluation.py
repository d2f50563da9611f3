"""Measure the policy on labelled comments: precision, recall, F1, false-positive rate, confusion, worst misses,
character-span F1, and better-profanity on the same rows for comparison."""
from __future__ import annotations

import ast
import codecs
import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from moderation.inputs import text_fault
from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext, Refused

CATEGORIES = ("profanity", "hate_speech", "personal_attack", "off_topic", "any")
POSITIVE_WORDS = frozenset({"1", "true", "yes", "off", "hate", "spam", "insult", "toxic", "offensive"})
NEGATIVE_WORDS = frozenset({"0", "false", "no", "not", "ham", "none", "neither", "clean", ""})
WORST = 10


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled comment; `chars` holds the labelled toxic character offsets when the set has them."""

    text: str
    label: bool
    chars: frozenset[int] | None = None


@dataclass(slots=True)
class Prediction:
    """What the policy did with one row."""

    row: Row
    flagged: bool
    score: float
    chars: frozenset[int] = frozenset()


@dataclass(slots=True)
class Report:
    """The figures for one file and category, ours beside better-profanity's."""

    category: str
    rows: int
    ours: dict
    better_profanity: dict
    span_f1: float | None = None
    worst_misses: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"category": self.category, "rows": self.rows, "ours": self.ours,
                "better_profanity": self.better_profanity, "char_span_f1": self.span_f1,
                "worst_misses": self.worst_misses}


class MalformedRow(ValueError):
    """A record that cannot be read as a labelled comment: the line it ends on and why."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


def read_rows(path: str | Path, text_column: str, label_column: str, unescape: bool = False,
              on_malformed: Callable[[MalformedRow], None] | None = None) -> Iterator[Row]:
    """Labelled rows from CSV, TSV (by extension or sniffed delimiter) or JSON lines, streamed. A malformed record
    is handed to `on_malformed` and skipped, or raised without one; a file without the text column is a KeyError."""
    path = Path(path)
    for line, record in _records(path, text_column):
        try:
            row = _row(record, text_column, label_column, unescape)
        except (ValueError, RecursionError) as error:  # RecursionError: JSON nested past the parser's depth
            if on_malformed is None:
                raise MalformedRow(line, str(error)) from None
            on_malformed(MalformedRow(line, str(error)))
            continue
        yield row


def _records(path: Path, text_column: str) -> Iterator[tuple[int, dict | str | csv.Error]]:
    """(line, record) for each record of a CSV/TSV/JSONL file: a dictionary, a JSON line still to parse, or the
    CSV reader's error. Bytes that are not UTF-8 arrive as lone surrogates, so only the row holding them is refused."""
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        if path.suffix in (".jsonl", ".json", ".ndjson"):
            yield from ((number, line) for number, line in enumerate(handle, 1) if line.strip())
            return
        sample = handle.readline()
        handle.seek(0)
        delimiter = "\t" if path.suffix == ".tsv" else max(",;\t", key=sample.count)
        reader = csv.DictReader(handle, delimiter=delimiter)
        if text_column not in (reader.fieldnames or ()):
            raise KeyError(f"{path}: no column {text_column!r}")
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # e.g. a field past the reader's size limit; the next record still reads
                yield reader.line_num + 1, error  # the reader has not counted the line it failed on
                continue
            yield reader.line_num, record


def _row(record: dict | str | csv.Error, text_column: str, label_column: str, unescape: bool) -> Row:
    """One record as a Row; ValueError says what is wrong with it."""
    if isinstance(record, csv.Error):
        raise ValueError(str(record))
    if isinstance(record, str):
        record = json.loads(record)
    if not isinstance(record, dict):
        raise ValueError(f"expected an object with {text_column!r} and {label_column!r}, got {json.dumps(record)[:60]}")
    text = record.get(text_column)
    if not isinstance(text, str):
        raise ValueError(f"{text_column!r} is missing or not a string")
    if unescape:
        text = decode_escapes(text)
    fault = text_fault(text)
    if fault:
        raise ValueError(f"{text_column!r} {fault}")
    if record.get(label_column) is None:
        raise ValueError(f"{label_column!r} is missing")
    try:
        label, chars = parse_label(record[label_column])
    except (SyntaxError, TypeError) as error:  # what literal_eval raises on a broken offset list
        raise ValueError(f"cannot read the label: {error}") from None
    return Row(text, label, chars)


def decode_escapes(text: str) -> str:
    """Undo literal escapes (\\n, \\xc2\\xa0) as some scraped sets store them: unicode_escape, then latin-1 as UTF-8."""
    decoded = codecs.decode(text.strip('"'), "unicode_escape")
    try:
        return decoded.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return decoded


def parse_label(value) -> tuple[bool, frozenset[int] | None]:
    """A label as positive or not: numbers at 0.5 and above, known words, or a non-empty list of offsets."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        return value >= 0.5, None
    text = str(value if value is not None else "").strip()
    if text.startswith("["):
        offsets = frozenset(ast.literal_eval(text))
        return bool(offsets), offsets
    try:
        return float(text) >= 0.5, None
    except ValueError:
        pass
    if text.lower() in POSITIVE_WORDS or text.lower() in NEGATIVE_WORDS:
        return text.lower() in POSITIVE_WORDS, None
    raise ValueError(f"cannot read {text!r} as a label")


def predict(rows: Iterable[Row], category: str, policy, context: ModerationContext | None = None) -> Iterator[Prediction]:
    """Run the policy on every row; flagged means the category's rule (or any rule) acted."""
    context = context or ModerationContext()
    for row in rows:
        yield judge(row, category, policy, context)


def judge(row: Row, category: str, policy, context: ModerationContext) -> Prediction:
    """What the policy did with one row in its context: flagged when the category's rule (or any rule) acted, with
    the characters its acting findings marked."""
    try:
        verdict = moderate(row.text[: policy.max_length], context, policy)
    except Refused:
        return Prediction(row, False, 0.0)
    findings = [f for f in verdict.findings if category in ("any", f.category)]
    acting = [f for f in findings if f.action != "none"]
    chars = frozenset(i for f in acting for span in f.result.spans for i in range(span.start, span.end))
    return Prediction(row, bool(acting), max((f.result.score for f in findings), default=0.0), chars)


def metrics(pairs: Iterable[tuple[bool, bool]]) -> dict:
    """Precision, recall, F1, false-positive rate and the confusion matrix of (label, flagged) pairs."""
    tp = fp = fn = tn = 0
    for label, flagged in pairs:
        tp += label and flagged
        fp += flagged and not label
        fn += label and not flagged
        tn += not label and not flagged
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "false_positive_rate": round(fp / (fp + tn), 4) if fp + tn else 0.0,
            "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn}}


def span_f1(predictions: Iterable[Prediction]) -> float:
    """SemEval-2021 toxic-spans F1: per-comment F1 of character offsets, averaged (both empty counts 1)."""
    total = count = 0.0
    for prediction in predictions:
        gold, ours = prediction.row.chars or frozenset(), prediction.chars
        count += 1
        if not gold and not ours:
            total += 1
        elif gold and ours:
            overlap = len(gold & ours)
            total += 2 * overlap / (len(gold) + len(ours))
    return round(total / count, 4) if count else 0.0


def worst_misses(predictions: list[Prediction], limit: int = WORST) -> dict:
    """The missed positives the policy scored lowest and the flagged negatives it scored highest."""
    missed = sorted((p for p in predictions if p.row.label and not p.flagged), key=lambda p: p.score)
    wrong = sorted((p for p in predictions if p.flagged and not p.row.label), key=lambda p: -p.score)
    return {"false_negatives": [{"text": p.row.text[:300], "score": p.score} for p in missed[:limit]],
            "false_positives": [{"text": p.row.text[:300], "score": p.score} for p in wrong[:limit]]}


def better_profanity_check() -> Callable[[str], bool]:
    """better-profanity's `contains_profanity` with its default word list, the anchor we compare against."""
    from better_profanity import profanity

    profanity.load_censor_words()
    return profanity.contains_profanity


def evaluate(rows: Iterable[Row], category: str, policy, baseline: Callable[[str], bool] | None = None) -> Report:
    """Our figures and the baseline's on the same rows, with the worst misses and the span F1 where labelled."""
    baseline = baseline or better_profanity_check()
    predictions, theirs = [], []
    for prediction in predict(rows, category, policy):
        predictions.append(prediction)
        theirs.append((prediction.row.label, baseline(prediction.row.text)))
    has_chars = any(p.row.chars is not None for p in predictions)
    return Report(
        category=category,
        rows=len(predictions),
        ours=metrics((p.row.label, p.flagged) for p in predictions),
        better_profanity=metrics(theirs),
        span_f1=span_f1(predictions) if has_chars else None,
        worst_misses=worst_misses(predictions),
    )
