"""The relevance model file: read without dependencies, refused with the file and line named when broken, part of
the policy version."""
from __future__ import annotations


import pytest

from moderation.pipeline import relevance
from moderation.pipeline.relevance import RelevanceModelError
from moderation.policy import PolicyError, load_policy


def test_the_policy_model_loads_and_scores_words_and_numeric_features():
    model = relevance.load("off-topic-relevance.tsv")
    assert model.weights
    probability = model.probability({"hello"}, {("hello", "there")}, 1.0, {"(question)": 1.0})
    assert 0.0 < probability < 1.0


def test_terms_are_scaled_once_and_missing_features_weigh_nothing(tmp_path):
    (tmp_path / "m.tsv").write_text("# a comment line\n(bias)\t-1.0\nlol\t2.0\nlol+ok\t1.0\n(question)\t0.5\n",
                                    encoding="utf-8")
    model = relevance.load("m.tsv", tmp_path)
    logit = model.logit({"lol", "unknown"}, {("lol", "ok"), ("ok", "lol")}, 0.5, {"(question)": 1.0, "(other)": 3.0})
    assert logit == pytest.approx(-1.0 + (2.0 + 1.0) * 0.5 + 0.5)


@pytest.mark.parametrize("content, message", [
    ("(bias)\t-1.0\nlol two\n", "m.tsv: line 2: expected a feature, a tab and a weight"),
    ("(bias)\t-1.0\nlol\tmany\n", "m.tsv: line 2: expected a feature, a tab and a weight"),
    ("lol\t2.0\n", "m.tsv: no (bias) line"),
])
def test_a_broken_file_names_the_file_and_the_line(tmp_path, content, message):
    (tmp_path / "m.tsv").write_text(content, encoding="utf-8")
    with pytest.raises(RelevanceModelError, match=message.replace("(", r"\(").replace(")", r"\)")):
        relevance.load("m.tsv", tmp_path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(RelevanceModelError, match="missing.tsv"):
        relevance.load("missing.tsv", tmp_path)


def test_a_retrained_relevance_model_is_a_new_policy_version(policy_copy):
    before = load_policy(policy_copy).version
    model = policy_copy.parent / "models" / load_policy(policy_copy).rule("off_topic").params["relevance_model"]
    model.write_text(model.read_text(encoding="utf-8") + "lol\t0.5\n", encoding="utf-8")
    assert load_policy(policy_copy).version != before


def test_a_missing_relevance_model_names_the_rule_and_the_param(policy_copy):
    (policy_copy.parent / "models" / load_policy(policy_copy).rule("off_topic").params["relevance_model"]).unlink()
    with pytest.raises(PolicyError, match=r"rule 'off_topic': field 'params.relevance_model': cannot read"):
        load_policy(policy_copy)


def test_a_policy_elsewhere_judges_with_its_own_relevance_model(policy_copy):
    filename = load_policy().rule("off_topic").params["relevance_model"]
    own = policy_copy.parent / "models" / "off-topic-relevance.tsv"
    own.write_text("(bias)\t9.0\n", encoding="utf-8")  # holds everything it is asked about
    rule = load_policy(policy_copy).rule("off_topic")
    assert rule.params["relevance_model"] == str(own.resolve()) != filename
    assert relevance.load(rule.params["relevance_model"]).probability(set(), (), 1.0, {}) > 0.99
