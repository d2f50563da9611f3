"""Combine the rules' findings into publish / review / reject, with the reasons a reader is shown."""
from __future__ import annotations

from dataclasses import dataclass

from moderation.pipeline.types import FilterResult

PREMODERATION = "premoderation"


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's result and what the rule does with it, with the rule's name and words from the policy file."""

    category: str
    title: str
    sentence: str
    clause: str
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
        }


def decide(policy, results: list[tuple[object, FilterResult]], premoderate: bool) -> Verdict:
    """Reject if any rule reaches reject, else review if any reaches review, else publish (review when premoderated).

    The reasons are the acting rules, the gravest first (reject before review, then by score; ties in the policy's
    order), so that the first reason is the one a moderator's rejection defaults to and the log records. Each
    names the rule by its title, quotes its sentence and the clause of it the rule enforces, and explains."""
    findings = tuple(Finding(rule.category, rule.title, rule.sentence, rule.clause, result, rule.action(result.score))
                     for rule, result in results)
    acting = sorted((finding for finding in findings if finding.action != "none"),
                    key=lambda f: (f.action != "reject", -f.result.score))
    outcome = "reject" if any(f.action == "reject" for f in acting) else "review" if acting else "publish"
    reasons = [{"category": f.category, "title": f.title, "policy": f.sentence, "clause": f.clause,
                "explanation": f.result.explanation} for f in acting]
    if outcome == "publish" and premoderate:
        outcome = "review"
        reasons.append({"category": PREMODERATION, "title": policy.label(PREMODERATION), "policy": policy.premoderation_note,
                        "clause": None, "explanation": "Comments here are read by a moderator before they are published."})
    return Verdict(outcome, policy.name, policy.version, findings, tuple(reasons))
