"""Perspective's attributes read off our verdict: which category each attribute reports and how the three
toxicity attributes are derived from all four (docs/api.md explains the same to integrators)."""
from __future__ import annotations

from itertools import accumulate

from moderation.policy import Policy

# Attributes that report one category of the policy, as its filter scored it.
ATTRIBUTE_CATEGORIES = {
    "PROFANITY": "profanity",
    "OBSCENE": "profanity",
    "IDENTITY_ATTACK": "hate_speech",
    "INSULT": "personal_attack",
    "ATTACK_ON_COMMENTER": "personal_attack",
    "ATTACK_ON_AUTHOR": "personal_attack",
    "THREAT": "personal_attack",
    "SPAM": "off_topic",
    "OFF_TOPIC": "off_topic",
}
DERIVED_ATTRIBUTES = ("TOXICITY", "SEVERE_TOXICITY", "LIKELY_TO_REJECT")
ATTRIBUTES = (*ATTRIBUTE_CATEGORIES, *DERIVED_ATTRIBUTES)
# LIKELY_TO_REJECT puts every rule's review threshold at 0.5 and its reject threshold at 0.9.
CALIBRATED_REVIEW, CALIBRATED_REJECT = 0.5, 0.9


def calibrated(score: float, review: float, reject: float) -> float:
    """A rule's score rescaled piecewise-linearly so that its review threshold is 0.5 and its reject threshold 0.9."""
    if score >= reject:
        if reject >= 1:
            return CALIBRATED_REJECT
        return CALIBRATED_REJECT + (1 - CALIBRATED_REJECT) * (score - reject) / (1 - reject)
    if score >= review:
        return CALIBRATED_REVIEW + (CALIBRATED_REJECT - CALIBRATED_REVIEW) * (score - review) / (reject - review)
    return CALIBRATED_REVIEW * score / review


def category_values(attribute: str, verdict: dict, policy: Policy) -> dict[str, float]:
    """What each category contributes to an attribute; the attribute's score is the largest contribution.

    TOXICITY: every category's score. SEVERE_TOXICITY: the score of each category whose rule rejects the
    comment outright, else nothing. LIKELY_TO_REJECT: every category's score calibrated to its rule's thresholds.
    """
    findings = verdict["categories"]
    if attribute in ATTRIBUTE_CATEGORIES:
        category = ATTRIBUTE_CATEGORIES[attribute]
        return {category: findings[category]["score"]}
    if attribute == "TOXICITY":
        return {category: finding["score"] for category, finding in findings.items()}
    if attribute == "SEVERE_TOXICITY":
        return {category: finding["score"] for category, finding in findings.items() if finding["action"] == "reject"}
    rules = {rule.category: rule for rule in policy.rules}
    return {
        category: calibrated(finding["score"], rules[category].review_threshold, rules[category].reject_threshold)
        for category, finding in findings.items()
    }


def utf16_offsets(text: str) -> list[int]:
    """Every code-point offset of text (0 to len(text)) in UTF-16 code units, in one pass (beyond the BMP is two)."""
    return list(accumulate((2 if ord(character) > 0xFFFF else 1 for character in text), initial=0))


def score(value: float) -> dict:
    return {"value": round(value, 4), "type": "PROBABILITY"}


def attribute_scores(attribute: str, verdict: dict, policy: Policy, utf16: list[int] | None) -> dict:
    """One entry of attributeScores: the summary and, given utf16_offsets(text), a score per piece of evidence."""
    values = category_values(attribute, verdict, policy)
    summary = max(values.values(), default=0.0)
    result = {"summaryScore": score(summary)}
    if utf16 is not None:
        spans: dict[tuple[int, int], float] = {}
        for category, value in values.items():
            for span in verdict["categories"][category]["spans"] if value > 0 else ():
                where = (utf16[span["start"]], utf16[span["end"]])
                spans[where] = max(value, spans.get(where, 0.0))
        if not spans:  # no evidence to point at: the whole text carries the score, as Perspective does
            spans[(0, utf16[-1])] = summary
        result["spanScores"] = [
            {"begin": begin, "end": end, "score": score(value)} for (begin, end), value in sorted(spans.items())
        ]
    return result
