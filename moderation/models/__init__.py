"""Typed models, split by domain; import from here."""
from moderation.models.article import Article, ModerationMode
from moderation.models.user import Role, User
from moderation.models.comment import Comment, CommentFlag, CommentStatus, Report
from moderation.models.audit import ActorType, Decision
from moderation.models.api_key import ApiKey, ScoreFeedback
from moderation.models.setting import Setting
from moderation.models.rescan import RescanChunk, RescanRun
from moderation.models.sign_in import SignInIdentity, UsedSsoToken

__all__ = [
    "ActorType",
    "ApiKey",
    "Article",
    "Comment",
    "CommentFlag",
    "CommentStatus",
    "Decision",
    "ModerationMode",
    "Report",
    "RescanChunk",
    "RescanRun",
    "Role",
    "ScoreFeedback",
    "Setting",
    "SignInIdentity",
    "UsedSsoToken",
    "User",
]
