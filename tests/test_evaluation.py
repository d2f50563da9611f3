"""The evaluation functions: reading labelled files, labels, metrics, character-span F1 and the side-by-side report."""
from __future__ import annotations

import json

import pytest

from moderation.evaluation import (MalformedRow, Prediction, Row, decode_escapes, evaluate, metrics, parse_label, read_rows,
                                   span_f1, worst_misses)
from moderation.policy import load_policy


@pytest.mark.parametrize("value, label, chars", [
    ("1", True, None), ("0", False, None), ("0.66", True, None), ("0.3", False, None), ("OFF", True, None),
    ("NOT", False, None), ("spam", True, None), (1, True, None), ("[]", False, frozenset()),
    ("[3, 4, 5]", True, frozenset({3, 4, 5})),
])
def test_labels_are_read_from_numbers_words_and_offset_lists(value, label, chars):
    assert parse_label(value) == (label, chars)


def test_an_unknown_label_is_an_error():
    with pytest.raises(ValueError, match="maybe"):
        parse_label("maybe")


@pytest.mark.parametrize("name, content", [
    ("set.csv", 'text,label\n"hello, there",0\nsh1t,1\n'),
    ("set.tsv", "id\ttext\tlabel\n1\thello, there\tNOT\n2\tsh1t\tOFF\n"),
    ("set.csv", "text;label\nhello, there;0.0\nsh1t;1.0\n"),
    ("set.jsonl", json.dumps({"text": "hello, there", "label": 0}) + "\n\n" + json.dumps({"text": "sh1t", "label": 1}) + "\n"),
])
def test_csv_tsv_semicolon_and_json_lines_are_read(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert list(read_rows(path, "text", "label")) == [Row("hello, there", False), Row("sh1t", True)]


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "set.csv"
    path.write_text("body,label\nx,1\n")
    with pytest.raises(KeyError, match="'text'"):
        list(read_rows(path, "text", "label"))


def test_literal_escapes_are_decoded():
    assert decode_escapes('"you\\\\n are\\xc2\\xa0fine"') == "you\\n are\xa0fine"
    assert decode_escapes("line\\nnext") == "line\nnext"


def test_metrics_and_confusion():
    figures = metrics([(True, True), (True, False), (False, True), (False, False), (False, False)])
    assert figures["confusion"] == {"tp": 1, "fp": 1, "fn": 1, "tn": 2}
    assert (figures["precision"], figures["recall"], figures["f1"]) == (0.5, 0.5, 0.5)
    assert figures["false_positive_rate"] == round(1 / 3, 4)


def test_metrics_of_nothing_flagged_are_zero_not_an_error():
    assert metrics([(True, False), (False, False)])["precision"] == 0.0


def test_span_f1_follows_semeval_both_empty_counting_one():
    predictions = [
        Prediction(Row("a", True, frozenset({0, 1, 2, 3})), True, 1.0, frozenset({2, 3, 4, 5})),
        Prediction(Row("b", False, frozenset()), False, 0.0, frozenset()),
        Prediction(Row("c", True, frozenset({1})), False, 0.0, frozenset()),
    ]
    assert span_f1(predictions) == round((0.5 + 1 + 0) / 3, 4)


def test_worst_misses_are_sorted_by_how_wrong_they_are():
    predictions = [Prediction(Row("missed badly", True), False, 0.0), Prediction(Row("nearly", True), False, 0.4),
                   Prediction(Row("wrongly held", False), True, 0.9)]
    misses = worst_misses(predictions)
    assert [m["text"] for m in misses["false_negatives"]] == ["missed badly", "nearly"]
    assert [m["text"] for m in misses["false_positives"]] == ["wrongly held"]


def test_evaluate_reports_our_figures_beside_the_baseline_and_span_f1():
    rows = [Row("you are full of sh1t", True, frozenset(range(16, 20))), Row("f.u.c.k", True, frozenset(range(7))),
            Row("Well said.", False, frozenset()), Row("", False, frozenset())]
    report = evaluate(rows, "profanity", load_policy(), baseline=lambda text: "sh1t" in text)
    assert report.rows == 4
    assert report.ours["confusion"] == {"tp": 2, "fp": 0, "fn": 0, "tn": 2}
    assert report.better_profanity["recall"] == 0.5
    assert report.span_f1 == 1.0
    assert set(report.to_dict()) == {"category", "rows", "ours", "better_profanity", "char_span_f1", "worst_misses"}


def test_a_malformed_row_is_raised_with_its_line_or_handed_over_and_skipped(tmp_path):
    path = tmp_path / "set.csv"
    path.write_text('text,label\nsh1t,1\nfine,maybe\n"' + "x" * 200_000 + '",0\nhello,0\n')
    with pytest.raises(MalformedRow, match="line 3: cannot read 'maybe'"):
        list(read_rows(path, "text", "label"))
    skipped = []
    assert list(read_rows(path, "text", "label", on_malformed=skipped.append)) == [Row("sh1t", True), Row("hello", False)]
    assert [row.line for row in skipped] == [3, 4] and "field larger than field limit" in skipped[1].reason
