"""The grammar's word lists live in the policy: a broken entry fails on load, naming the file, the rule and the entry."""
from __future__ import annotations


import pytest

from moderation.policy import PolicyError, load_policy


@pytest.mark.parametrize("old, new, rule, field, entry", [
    ('pronouns = ["they", "them"]', 'pronouns = ["they", 3]', "hate_speech", "params.pronouns", "entry 2"),
    ('your_words = ["your", "ur"]', 'your_words = ["your", " "]', "personal_attack", "params.your_words", "entry 2"),
    ('gonna = "going to"', 'gonna = 1', "personal_attack", "params.spoken_forms", "entry 'gonna'"),
])
def test_a_bad_word_list_entry_is_named(policy_copy, old, new, rule, field, entry):
    content = policy_copy.read_text(encoding="utf-8")
    assert old in content
    policy_copy.write_text(content.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError) as error:
        load_policy(policy_copy)
    message = str(error.value)
    assert str(policy_copy) in message and f"rule {rule!r}" in message and f"field {field!r}" in message
    assert entry in message


def test_the_filters_read_their_word_lists_from_the_policy():
    policy = load_policy()
    assert "they" in policy.rule("hate_speech").params["pronouns"]
    assert policy.rule("personal_attack").params["spoken_forms"]["gonna"] == "going to"
    assert "knee jerk" in policy.rule("personal_attack").lexicons["innocent_pairs"]
