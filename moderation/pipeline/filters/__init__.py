"""The registry of filters: a policy rule names one of these, and the pipeline calls its `check`."""
from __future__ import annotations

from collections.abc import Callable

from moderation.pipeline.filters import hate_speech, off_topic, personal_attack, profanity
from moderation.pipeline.normalise import NormalisedText
from moderation.pipeline.types import FilterResult, ModerationContext

Check = Callable[[NormalisedText, ModerationContext, object], FilterResult]

# One module per filter, each exposing `check(text, context, rule) -> FilterResult`.
FILTERS: dict[str, Check] = {
    "profanity": profanity.check,
    "hate_speech": hate_speech.check,
    "personal_attack": personal_attack.check,
    "off_topic": off_topic.check,
}
