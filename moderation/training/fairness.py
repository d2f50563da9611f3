"""The fairness suite: identity statements (templates × identity terms, in identity-statements.toml) that the policy
must publish, and the share of them it holds per term."""
from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext

SUITE = Path(__file__).with_name("identity-statements.toml")


def statements(path: Path = SUITE) -> Iterator[tuple[str, str]]:
    """Every (term, statement) of the suite."""
    suite = tomllib.loads(path.read_text(encoding="utf-8"))
    for term in suite["terms"]:
        for template in suite["templates"]:
            statement = template.format(term=term)
            yield term, statement[0].upper() + statement[1:]


def held_per_term(policy, context: ModerationContext | None = None) -> dict[str, float]:
    """The share of each term's statements that the policy does not publish, in 0..1."""
    held: dict[str, list[bool]] = {}
    for term, statement in statements():
        verdict = moderate(statement, context or ModerationContext(), policy)
        held.setdefault(term, []).append(verdict.outcome != "publish")
    return {term: sum(flags) / len(flags) for term, flags in held.items()}
