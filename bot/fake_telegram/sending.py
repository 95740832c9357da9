"""The Bot API methods that send, edit and delete messages, answer buttons and hand out files."""

from __future__ import annotations

import copy
import time

from bot.fake_telegram.files import Files
from bot.fake_telegram.limits import MAX_DOWNLOAD_SIZE, MAX_TEXT_LENGTH
from bot.fake_telegram.objects import (
    ApiError,
    JSONDict,
    document_object,
    inline_markup,
    utf16_len,
)

__all__ = ["NOT_MODIFIED", "Sending"]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


class Sending(Files):
    """sendMessage, the edits, deleteMessage, answerCallbackQuery, the media sends, getFile."""

    def _send_message(self, params: JSONDict) -> JSONDict:
        """sendMessage."""
        text = str(params.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        content: JSONDict = {"text": text}
        if params.get("entities"):
            content["entities"] = params["entities"]
        return self._bot_sends(params, content)

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        """editMessageText; an identical edit is "not modified", as on Telegram."""
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        text = str(params.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        markup = inline_markup(params)
        if text == message["text"] and markup.get("reply_markup") == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = text
        message.pop("entities", None)
        if params.get("entities"):
            message["entities"] = params["entities"]
        return self._apply_markup(message, markup)

    def _edit_message_caption(self, params: JSONDict) -> JSONDict | bool:
        """editMessageCaption."""
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        fields = self._caption_fields(params)
        markup = inline_markup(params)
        same_markup = markup.get("reply_markup") == message.get("reply_markup")
        if fields.get("caption") == message.get("caption") and same_markup:
            raise ApiError(400, NOT_MODIFIED)
        message.pop("caption", None)
        message.pop("caption_entities", None)
        message.update(fields)
        return self._apply_markup(message, markup)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        """editMessageReplyMarkup."""
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        markup = inline_markup(params)
        if markup.get("reply_markup") == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_markup(message, markup)

    def _apply_markup(self, message: JSONDict, markup: JSONDict) -> JSONDict:
        """Set or remove a stored message's inline keyboard and stamp the edit."""
        message.pop("reply_markup", None)
        message.update(markup)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _delete_message(self, params: JSONDict) -> bool:
        """deleteMessage."""
        key = (self._chat_id(params), int(params.get("message_id", 0)))
        if key not in self._messages or key in self._deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        self._deleted.add(key)
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        """answerCallbackQuery; each query can be answered once."""
        query_id = str(params.get("callback_query_id", ""))
        if self._callback_queries.get(query_id, True):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._callback_queries[query_id] = True
        return True

    def _send_document(self, params: JSONDict) -> JSONDict:
        """sendDocument."""
        self._check_can_send(self._chat_id(params))
        stored = self._input_file(params, "document", "documents")
        content = {"document": document_object(stored), **self._caption_fields(params)}
        message = self._bot_sends(params, content)
        self._note_upload(params, "document", stored)
        return message

    def _send_photo(self, params: JSONDict) -> JSONDict:
        """sendPhoto."""
        self._check_can_send(self._chat_id(params))
        stored = self._input_file(params, "photo", "photos")
        photo = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "width": 1280,
            "height": 720,
        }
        message = self._bot_sends(params, {"photo": [photo], **self._caption_fields(params)})
        self._note_upload(params, "photo", stored)
        return message

    def _send_chat_action(self, params: JSONDict) -> bool:
        """sendChatAction."""
        self._check_can_send(self._chat_id(params))
        return True

    def _get_file(self, params: JSONDict) -> JSONDict:
        """getFile; like Telegram, files over 20 MB cannot be downloaded by bots."""
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.file_size > MAX_DOWNLOAD_SIZE:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }
