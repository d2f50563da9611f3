"""Placeholder while the off-topic filter is written."""
from moderation.pipeline.types import FilterResult


def check(text, context, rule):
    """Nothing yet."""
    return FilterResult()
