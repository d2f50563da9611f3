"""Combine the rules' findings into publish / review / reject, with the reasons a reader is shown."""
from __future__ import annotations

from dataclasses import dataclass

from moderation.pipeline.types import FilterResult

PREMODERATION = "premoderation"


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's result and what the rule does with it."""

    category: str
    sentence: str
    result: FilterResult
    action: str

    def to_dict(self) -> dict:
        return {
            "score": round(float(self.result.score), 4),
            "action": self.action,
            "spans": [span.to_dict() for span in self.result.spans],
            "explanation": self.result.explanation,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The decision on one comment, in the shape stored with it and returned by the API and CLI."""

    outcome: str
    policy_name: str
    policy_version: str
    findings: tuple[Finding, ...]
    reasons: tuple[dict, ...]
    # ISO 639-1 codes, the main one first: what the comment was judged in.
    languages: tuple[str, ...] = ()

    @property
    def max_score(self) -> float:
        """The highest score any rule gave, for sorting the review queue."""
        return max((finding.result.score for finding in self.findings), default=0.0)

    def to_dict(self) -> dict:
        """Exactly the verdict JSON of issue 3, section 4."""
        return {
            "verdict": self.outcome,
            "policy": {"name": self.policy_name, "version": self.policy_version},
            "categories": {finding.category: finding.to_dict() for finding in self.findings},
            "reasons": [dict(reason) for reason in self.reasons],
            "language": self.languages[0] if self.languages else None,
            "languages": list(self.languages),
        }


def decide(policy, results: list[tuple[object, FilterResult]], premoderate: bool,
           languages: tuple[str, ...] = ()) -> Verdict:
    """Reject if any rule reaches reject, else review if any reaches review, else publish (review when premoderated);
    `languages` (ISO 639-1 codes) are those the comment was judged in."""
    findings = tuple(Finding(rule.category, rule.sentence, result, rule.action(result.score)) for rule, result in results)
    acting = [finding for finding in findings if finding.action != "none"]
    outcome = "reject" if any(f.action == "reject" for f in acting) else "review" if acting else "publish"
    reasons = [{"category": f.category, "policy": f.sentence, "explanation": f.result.explanation} for f in acting]
    if outcome == "publish" and premoderate:
        outcome = "review"
        reasons.append({"category": PREMODERATION, "policy": policy.premoderation_note,
                        "explanation": "Comments here are read by a moderator before they are published."})
    return Verdict(outcome, policy.name, policy.version, findings, tuple(reasons), tuple(languages))
