"""The submission conversation: questions, checks, review and receipt."""

from bot.flow.answer import Document
from bot.flow.conversation import Conversation

__all__ = ["Conversation", "Document"]
