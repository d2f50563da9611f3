"""The small shared vocabulary of the pipeline: what a filter gets and what it gives back."""
from __future__ import annotations

from dataclasses import dataclass, field

# What a span may pick up from the sentence around its words ("idiot.", "www.x.biz,"): evidence is the words alone.
TRAILING_PUNCTUATION = ".,;:!?…"
# An explanation shows at most this many of its words; the spans hold them all.
EXPLAINED_WORDS = 5


@dataclass(frozen=True, slots=True)
class Span:
    """Evidence: code-point offsets into the text as the author wrote it, and that text."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}

    def trimmed(self) -> Span:
        """The span without surrounding white space or trailing sentence punctuation (masks such as f*** stay)."""
        text = self.text.rstrip().rstrip(TRAILING_PUNCTUATION).rstrip()
        start = self.start + len(text) - len(text.lstrip())
        text = text.lstrip()
        return Span(start, start + len(text), text) if text else Span(self.start, self.start, "")


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
    """One rule's finding: a score in 0..1, the evidence (trimmed spans, empty ones dropped) and a one-line
    explanation written by `explained`."""

    score: float = 0.0
    spans: tuple[Span, ...] = field(default=())
    explanation: str = ""

    def __post_init__(self):
        trimmed = tuple(span for span in (span.trimmed() for span in self.spans) if span.text)
        object.__setattr__(self, "spans", trimmed)


def explained(finding: str, spans=(), without_words: str = "") -> str:
    """The one format of every rule's explanation: 'Mild profanity: “shit”, “crap”'. The finding with a capital,
    then up to EXPLAINED_WORDS distinct words of the evidence (trimmed) in curly quotes, or `without_words` when
    there are none; no closing full stop, so that reasons joined with "; " read cleanly."""
    words = list(dict.fromkeys(span.trimmed().text for span in spans))
    shown = ", ".join(f"“{word}”" for word in words[:EXPLAINED_WORDS] if word) or without_words
    finding = finding[:1].upper() + finding[1:]
    return f"{finding}: {shown}" if shown else finding


class Refused(Exception):
    """A hard refusal that stops the pipeline before any filter runs (empty, too long, closed, banned).

    `message` may be a lazy_gettext string: it is drawn here, in the language of the request raising it (English on
    the API's routes, the policy's language in CLI commands), so callers get plain text to show, log or write as
    JSON."""

    def __init__(self, code: str, message: str):
        message = str(message)
        super().__init__(message)
        self.code = code
        self.message = message
