"""The submission conversation: questions, checks, review and receipt."""

from bot.flow.engine import Conversation, Document

__all__ = ["Conversation", "Document"]
