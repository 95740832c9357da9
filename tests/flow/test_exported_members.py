"""The conversation package's public surface is what its `__all__` names."""

from __future__ import annotations

import bot.flow
from bot.flow.answer import Document
from bot.flow.conversation import Conversation


def test_the_flow_package_exports_the_conversation_and_the_document_it_defines() -> None:
    assert bot.flow.__all__ == ["Conversation", "Document"]
    assert (bot.flow.Conversation, bot.flow.Document) == (Conversation, Document)
