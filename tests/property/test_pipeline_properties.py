"""Properties of the normaliser and the whole pipeline over any Unicode text: no exception, evidence that
points at the author's own characters, and a normaliser that is a fixed point after one pass."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from moderation.pipeline import moderate
from moderation.pipeline.normalise import normalise
from moderation.pipeline.types import ModerationContext, Refused
from moderation.policy import load_policy

POLICY = load_policy()
BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that exercise each branch of the normaliser: separators and leet symbols, combining marks,
# bidi and zero-width controls, look-alikes, entities' pieces, lone surrogates and astral code points.
TRICKY = (
    ".-_~+ *@$!#|013457&;"
    "\u0301\u0308\u0327\u20dd"  # combining marks (Mn, Me)
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width
    "\u200e\u200f\u202a\u202b\u202e\u2066\u2069\u061c"  # directional marks and overrides
    "аеорсхіѕ αεορ ﬁ ｆｕｃｋ Ⓕ 𝐟𝐮𝐜𝐤"  # look-alikes and compatibility forms
    "\ud800\udfff\U0001f600\x00\x07\r\n\t"
)
WORDS = ("fuck", "shit", "idiot", "ass", "f.u.c.k", "sh1t", "a$$", "fuuuuck", "f*ck", "&amp;", "&#102;", "migration")

any_char = st.one_of(
    st.characters(codec=None, categories=None),  # every category, surrogates included
    st.sampled_from(TRICKY),
)
comment_text = st.lists(st.one_of(any_char, st.sampled_from(WORDS)), max_size=60).map("".join)

LINEAR = [
    ("a" * 100_000),
    ("\u0301" * 100_000),
    ("\u200f" * 100_000),
    ("f." * 50_000),
    ("1" * 100_000),
    ("&amp;" * 20_000),
    ("\ud800" * 100_000),
    ("🤬" * 100_000),
]
# The normaliser's word and leetspeak regexes backtrack quadratically over a run of '*' (10 KB takes
# seconds, 100 KB minutes), so that one is only fed up to the policy's max_length, which moderate() enforces
# before normalising.
PATHOLOGICAL = LINEAR + [("*" * 100_000)]


def _assert_spans_point_at_original(normalised, original: str) -> None:
    for view in (normalised, normalised.plain):
        assert len(view.origin) == len(view.text) + 1
        assert len(view.ends) == len(view.text)
        for start in range(0, len(view.text), max(1, len(view.text) // 7)):
            end = min(len(view.text), start + 5)
            span = view.span(start, end)
            assert 0 <= span.start <= span.end <= len(original)
            assert span.text == original[span.start:span.end]


@given(comment_text)
@BOUNDED
@example("f.u.c.k")
@example("ａ\u0301ｂ")
def test_normalise_never_raises_and_every_span_is_a_slice_of_the_original(text):
    _assert_spans_point_at_original(normalise(text), text)


@given(comment_text)
@BOUNDED
@example("sh!!!t")
def test_normalising_twice_gives_what_normalising_once_gave(text):
    once = normalise(text).text
    assert normalise(once).text == once


@pytest.mark.parametrize("text", LINEAR, ids=lambda t: f"100KB-of-{t[:2]!r}")
def test_normalise_takes_100kb_of_one_character(text):
    _assert_spans_point_at_original(normalise(text), text)


contexts = st.builds(
    ModerationContext,
    article_title=st.just("US and Cuba resume migration talks"),
    article_text=st.just("Officials met in Havana to discuss migration and the coast guard."),
    parent_text=st.none() | comment_text,
    recent_texts=st.lists(comment_text, max_size=3).map(tuple),
    premoderate=st.booleans(),
)


def _judge(text: str, context: ModerationContext):
    """A verdict, or the one refusal the pipeline may give for text it will not judge."""
    try:
        return moderate(text, context, POLICY)
    except Refused as refusal:
        assert refusal.code in {"empty", "too_long"}
        assert refusal.code == "too_long" or not text.strip()
        return None


@given(comment_text, contexts)
@BOUNDED
@example("You f.u.c.k\u200bing idiot, sh1t", ModerationContext())
@example("\u202eroh\u0301 tihs", ModerationContext(parent_text="\ud800"))
def test_moderate_gives_a_verdict_whose_evidence_quotes_the_comment(text, context):
    verdict = _judge(text, context)
    if verdict is None:
        return
    result = verdict.to_dict()
    assert result["verdict"] in {"publish", "review", "reject"}
    assert set(result["categories"]) == {rule.category for rule in POLICY.rules}
    for finding in result["categories"].values():
        assert 0.0 <= finding["score"] <= 1.0
        for span in finding["spans"]:
            assert 0 <= span["start"] <= span["end"] <= len(text)
            assert span["text"] == text[span["start"]:span["end"]]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda t: f"100KB-of-{t[:2]!r}")
def test_moderate_refuses_100kb_as_too_long(text):
    with pytest.raises(Refused) as refusal:
        moderate(text, ModerationContext(), POLICY)
    assert refusal.value.code == "too_long"


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda t: f"max-length-of-{t[:2]!r}")
def test_moderate_judges_the_longest_allowed_comment_of_one_character(text):
    text = text[: POLICY.max_length]
    verdict = _judge(text, ModerationContext(parent_text=text, recent_texts=(text, text)))
    assert verdict is None or verdict.outcome in {"publish", "review", "reject"}
