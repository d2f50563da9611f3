"""The registry of filters: a policy rule names one of these, and the pipeline calls its `check`."""
from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

from moderation.pipeline.normalise import NormalisedText
from moderation.pipeline.types import FilterResult, ModerationContext

Check = Callable[[NormalisedText, ModerationContext, object], FilterResult]

# One module per filter, each exposing `check(text, context, rule) -> FilterResult`.
FILTER_MODULES = ("profanity", "hate_speech", "personal_attack", "off_topic")


def _discover() -> dict[str, Check]:
    """Register the filter modules present in this package, so teammates' filters join as they land."""
    found = {}
    for name in FILTER_MODULES:
        if importlib.util.find_spec(f"{__name__}.{name}") is not None:
            found[name] = importlib.import_module(f"{__name__}.{name}").check
    return found


FILTERS: dict[str, Check] = _discover()
