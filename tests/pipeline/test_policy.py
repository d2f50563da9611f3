"""The policy loader: the Miami Herald policy loads, and broken files fail naming the file, the rule and the field."""
from __future__ import annotations

import dataclasses

import pytest
from flask import Flask

from moderation.pipeline.learned import LinearModel
from moderation.policy import PolicyError, current_policy, init_app, load_policy, parse_lexicon, reload_policy
from tests.pipeline.conftest import edit
from tests.pipeline.seed_page import SEED_PAGE


def test_the_miami_herald_policy_loads_with_all_four_rules():
    policy = load_policy()
    assert [rule.id for rule in policy.rules] == ["profanity", "hate_speech", "personal_attack", "off_topic"]
    assert policy.default_mode == "post"
    assert policy.settings["public_figures"]["insult_action"] == "review"
    assert all(0 <= rule.review_threshold <= rule.reject_threshold <= 1 for rule in policy.rules)
    assert "fuck" in " ".join(policy.rule("profanity").lexicons["strong"])


def test_the_policy_paragraph_is_the_pages_own_words():
    assert load_policy().paragraph.startswith("The Miami Herald is pleased to provide")
    assert load_policy().paragraph in SEED_PAGE


def test_version_changes_when_a_lexicon_changes(policy_copy):
    before = load_policy(policy_copy).version
    lexicon = policy_copy.parent / "lexicons" / "profanity-mild.txt"
    lexicon.write_text(lexicon.read_text() + "frack\n")
    assert load_policy(policy_copy).version != before
    assert load_policy(policy_copy).version == load_policy(policy_copy).version


@pytest.mark.parametrize("old, new, rule, field", [
    ("review_threshold = 0.5\nreject_threshold = 0.85\nlexicons = { mild", "review_threshold = 1.5\nreject_threshold = 0.85\nlexicons = { mild", "profanity", "review_threshold"),
    ('filter = "hate_speech"', 'filter = "hate_speach"', "hate_speech", "filter"),
    ('category = "off_topic"', 'category = "offtopic"', "off_topic", "category"),
    ('mild = "profanity-mild.txt"', 'mild = "missing.txt"', "profanity", "lexicons.mild"),
    ('default_mode = "post"', 'default_mode = "sometimes"', None, "default_mode"),
    (f"max_length = {load_policy().max_length}", "max_length = -1", None, "max_length"),
    ('clause = "refrain from hate speech"', 'clause = "refrain from hateful speech"', "hate_speech", "clause"),
    ('clause = "refrain from profanity"', 'clause = "profanity, refrain from"', "profanity", "clause"),
    ('clause = "refrain from profanity"\n', "", "profanity", "clause"),
    ("review_within_hours = 24", "review_within_hours = 0", None, "review_within_hours"),
])
def test_errors_name_the_file_the_rule_and_the_field(policy_copy, old, new, rule, field):
    with pytest.raises(PolicyError) as error:
        load_policy(edit(policy_copy, old, new))
    message = str(error.value)
    assert str(policy_copy) in message
    assert f"field {field!r}" in message
    assert (f"rule {rule!r}" in message) if rule else ("rule" not in message.split(":")[1])


def test_each_rule_has_one_name_and_quotes_only_its_own_clause():
    policy = load_policy()
    assert [policy.label(rule.id) for rule in policy.rules] == [rule.title for rule in policy.rules]
    assert policy.label("personal_attack") == "Personal comments"
    assert policy.rule("personal_attack").clause == "refrain from personal comments"
    assert [label for _, label in policy.reasons()][-2:] == [policy.label("spam"), policy.label("other")]
    assert policy.label("an_old_rule") == "An old rule"


def test_review_above_reject_is_refused(policy_copy):
    with pytest.raises(PolicyError, match="reject_threshold"):
        load_policy(edit(policy_copy, "review_threshold = 0.5\nreject_threshold = 0.85\nlexicons = { mild",
                         "review_threshold = 0.5\nreject_threshold = 0.4\nlexicons = { mild"))


def test_a_missing_rule_is_named(policy_copy):
    content = policy_copy.read_text()
    policy_copy.write_text(content.split("[rules.off_topic]")[0])
    with pytest.raises(PolicyError, match="no rule for off_topic"):
        load_policy(policy_copy)


def test_toml_syntax_errors_give_the_line(policy_copy):
    edit(policy_copy, 'name = "miami-herald"', 'name = "miami-herald')
    with pytest.raises(PolicyError, match=r"not valid TOML.*line"):
        load_policy(policy_copy)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(PolicyError, match="nope.toml: cannot read"):
        load_policy(tmp_path / "nope.toml")


def test_lexicon_lines_allow_comments_and_blanks():
    assert parse_lexicon("# heading\nShit  # common\n\n  bugger+\nshit\n") == ("shit", "bugger+")


def test_init_app_loads_the_configured_policy_once(policy_copy):
    app = Flask(__name__)
    app.config["POLICY_FILE"] = str(policy_copy)
    init_app(app)
    with app.app_context():
        assert current_policy() is app.extensions["policy"]
        assert current_policy().path == str(policy_copy)


def test_reload_keeps_the_old_policy_when_the_new_one_is_broken(policy_copy, tmp_path):
    app = Flask(__name__)
    init_app(app)
    old = app.extensions["policy"]
    with pytest.raises(PolicyError):
        reload_policy(app, tmp_path / "missing.toml")
    assert app.extensions["policy"] is old
    assert reload_policy(app, policy_copy) is app.extensions["policy"] is not old


def test_the_rules_read_the_learned_model_with_their_thresholds():
    policy = load_policy()
    hate, attack = policy.rule("hate_speech").model, policy.rule("personal_attack").model
    assert set(hate.holds) == {"hate"} and set(attack.holds) >= {"insult"}
    assert 0 < attack.confirms["insult"] < attack.holds["insult"] <= 1
    assert hate.score < policy.rule("hate_speech").reject_threshold


def test_version_changes_when_the_model_artifact_changes(policy_copy):
    before = load_policy(policy_copy).version
    artifact = policy_copy.parent / "models" / "comments.npz"
    model = LinearModel.load(artifact)
    dataclasses.replace(model, bias=model.bias + 0.01).save(artifact)
    assert load_policy(policy_copy).version != before


@pytest.mark.parametrize("old, new, rule, field, message", [
    ('file = "comments.npz"', 'file = "missing.npz"', "hate_speech", "model.file", "cannot read"),
    ("holds = { hate = 0.7 }", "holds = { spam = 0.7 }", "hate_speech", "model.holds.spam", "no head 'spam'"),
    ("holds = { hate = 0.7 }", "holds = { hate = 1.5 }", "hate_speech", "model.holds.hate", "from 0 to 1"),
    ("confirms = { insult = 0.25 }", 'confirms = { insult = "low" }', "personal_attack", "model.confirms.insult",
     "from 0 to 1"),
    ("\nscore = 0.6", "\nscore = true", "hate_speech", "model.score", "from 0 to 1"),
])
def test_a_broken_model_table_names_the_rule_and_the_field(policy_copy, old, new, rule, field, message):
    with pytest.raises(PolicyError) as error:
        load_policy(edit(policy_copy, old, new))
    assert f"rule {rule!r}" in str(error.value) and f"field {field!r}" in str(error.value)
    assert message in str(error.value)


def test_an_artifact_that_is_no_model_names_the_file(policy_copy):
    (policy_copy.parent / "models" / "comments.npz").write_bytes(b"not a model")
    with pytest.raises(PolicyError, match="comments.npz: not a model artifact"):
        load_policy(policy_copy)
