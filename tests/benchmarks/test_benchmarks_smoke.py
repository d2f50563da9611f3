"""The benchmark command runs end to end on a tiny corpus; its corpus is reproducible. No timing is asserted."""
from __future__ import annotations

import csv
import json

import pytest

from benchmarks import corpus
from benchmarks.measure import Figure
from benchmarks.run import main
from moderation.policy import load_policy

CLEAN = ["I think the talks in Havana are a sensible step for both countries and their families.",
         "Thanks for the clear reporting on the visa numbers, it helps to see the figures laid out."]
ABUSIVE = ["You are a stupid idiot and your shit opinion is worthless, moron.",
           "What a load of crap from this damn paper, you clowns should be fired."]


@pytest.fixture
def eval_dir(tmp_path):
    """A few rows in the layout of the public labelled sets (--eval-dir), enough for every length class and kind."""
    root = tmp_path / "eval"
    (root / "kaggle_insults").mkdir(parents=True)
    (root / "olid").mkdir()
    (root / "toxic_spans").mkdir()
    with (root / "kaggle_insults" / "train.csv").open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Insult", "Date", "Comment"])
        writer.writerows([[0, "", f'"{text}"'] for text in CLEAN] + [[1, "", f'"{text}"'] for text in ABUSIVE])
    (root / "olid" / "olid-training-v1.0.tsv").write_text(
        "id\ttweet\tsubtask_a\tsubtask_b\tsubtask_c\n1\t@USER " + CLEAN[0] + "\tNOT\tNULL\tNULL\n")
    (root / "toxic_spans" / "tsd_train.csv").write_text(f'spans,text\n"[0, 1]","{ABUSIVE[0]}"\n')
    return root


def test_pipeline_benchmark_quick_on_the_shipped_corpus_prints_one_table_and_writes_results(tmp_path, capsys):
    results = tmp_path / "results"

    code = main(["--quick", "--only", "pipeline", "--per-group", "2", "--baseline-per-class", "1",
                 "--results-dir", str(results)])

    out = capsys.readouterr().out
    assert code == 0
    assert out.count("baseline (same run)") == 1
    for row in ("short (~80 chars) median", "typical (~300 chars) median", "long (~3,500 chars) p99",
                "contains_profanity", "word-list regex", "load_policy()"):
        assert row in out
    payload = json.loads(next(results.glob("*-quick.json")).read_text())
    assert {f["suite"] for f in payload["figures"]} == {"pipeline", "pipeline stage", "policy"}
    assert all(f["values"] for f in payload["figures"])
    assert (results / "latest.md").read_text().count("| pipeline |") >= 9


def test_perspective_benchmark_prints_the_span_rows_beside_their_baselines(eval_dir, tmp_path, capsys):
    results = tmp_path / "results"

    code = main(["--quick", "--only", "perspective", "--eval-dir", str(eval_dir), "--per-group", "2",
                 "--results-dir", str(results)])

    out = capsys.readouterr().out
    payload = json.loads(next(results.glob("*-quick.json")).read_text())
    assert code == 0 and not payload["skipped"]
    assert [f["baseline_name"] for f in payload["figures"]] == [
        "the same without spanAnnotations", f"the same at {load_policy().max_length // 4:,} chars"]
    assert all(f["values"] and f["baseline_values"] for f in payload["figures"])
    assert "spanAnnotations" in out


@pytest.mark.parametrize("seed, same", [(corpus.SEED, True), (corpus.SEED + 1, False)])
def test_corpus_is_the_same_for_the_same_seed(eval_dir, seed, same):
    first = corpus.build_corpus(eval_dir, per_group=6)
    again = corpus.build_corpus(eval_dir, per_group=6, seed=seed)

    assert (corpus.corpus_digest(first) == corpus.corpus_digest(again)) is same


def test_corpus_has_every_length_class_and_kind_within_its_range(eval_dir):
    samples = corpus.build_corpus(eval_dir, per_group=6)

    for length_class, (_target, low, high) in corpus.LENGTH_CLASSES.items():
        for kind in corpus.KINDS:
            group = [s for s in samples if s.length_class == length_class and s.kind == kind]
            assert len(group) == 6
            assert all(len(s.text) <= high for s in group)
            assert sum(len(s.text) >= low * 0.8 for s in group) >= 5
    assert any(s.evasive for s in samples) and not any(s.evasive for s in samples if s.kind == "clean")


def test_the_shipped_corpus_gives_every_group_distinct_comments_within_its_range():
    samples = corpus.build_corpus(per_group=100)

    for length_class, (_target, low, high) in corpus.LENGTH_CLASSES.items():
        for kind in corpus.KINDS:
            group = [s.text for s in samples if s.length_class == length_class and s.kind == kind]
            assert len(group) == 100 and all(low * 0.8 <= len(text) <= high for text in group)
            # The pipeline caches per text: repeats would time the cache instead of the filters.
            assert len(set(group)) >= 90


@pytest.mark.parametrize("values, baseline, higher_is_better, ratio", [
    ([100.0], [30_000.0], False, 300.0),  # a time: the baseline's over ours, "times faster"
    ([600.0], [1_000.0], True, 0.6),  # a rate: ours over the baseline's, "share of the no-op"
    ([2.0, 1.0, 3.0], [4.0, 8.0, 6.0], False, 3.0),  # medians of the repeats are compared
])
def test_figure_ratio_reads_so_that_bigger_is_better(values, baseline, higher_is_better, ratio):
    figure = Figure("s", "n", "u", values, "b", baseline, higher_is_better=higher_is_better)

    assert figure.ratio == pytest.approx(ratio)
