"""The small shared vocabulary of the pipeline: what a filter gets and what it gives back."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: code-point offsets into the text as the author wrote it, and that text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class ModerationContext:
    """What a comment is judged against besides its own words."""

    article_title: str = ""
    article_text: str = ""
    parent_text: str | None = None
    recent_texts: tuple[str, ...] = ()
    premoderate: bool = False


@dataclass(frozen=True, slots=True)
class FilterResult:
    """One rule's finding: a score in 0..1, the evidence and a one-line explanation."""

    score: float = 0.0
    spans: tuple[Span, ...] = field(default=())
    explanation: str = ""


class Refused(Exception):
    """A hard refusal that stops the pipeline before any filter runs (empty, too long, closed, banned)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
