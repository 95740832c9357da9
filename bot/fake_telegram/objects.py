"""The Bot API objects the fake hands out, and the records it keeps of what the bot did."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ApiError",
    "Call",
    "Failure",
    "FakeChat",
    "FakeUser",
    "JSONDict",
    "LimitViolation",
    "StoredFile",
    "UploadedFile",
    "as_json",
    "chat_member",
    "commands_key",
    "document_object",
    "inline_markup",
    "private_chat",
    "utf16_len",
]

JSONDict = dict[str, Any]

_PRIVATE_CHAT_FIELDS = ("first_name", "last_name", "username")
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_change_info", "can_invite_users", "can_pin_messages",
)  # fmt: skip
_ADMIN_LIMITS = (
    "can_be_edited", "is_anonymous", "can_promote_members", "can_post_stories",
    "can_edit_stories", "can_delete_stories",
)  # fmt: skip
_RESTRICTED_RIGHTS = (
    "can_change_info", "can_invite_users", "can_pin_messages", "can_send_messages",
    "can_send_polls", "can_send_other_messages", "can_add_web_page_previews", "can_manage_topics",
    "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
    "can_send_video_notes", "can_send_voice_notes", "can_edit_tag", "can_react_to_messages",
)  # fmt: skip


@dataclass
class FakeUser:
    """A Telegram user who talks to the bot."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"

    def as_dict(self) -> JSONDict:
        """The Bot API `User` object."""
        user: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if (value := getattr(self, key)) is not None:
                user[key] = value
        return user


@dataclass
class FakeChat:
    """A chat other than a user's private chat with the bot (a group by default)."""

    id: int
    type: str = "group"
    title: str | None = None

    def as_dict(self) -> JSONDict:
        """The Bot API `Chat` object."""
        name = self.title or f"Chat {self.id}"
        if self.type == "private":
            return {"id": self.id, "type": self.type, "first_name": name}
        return {"id": self.id, "type": self.type, "title": name}


@dataclass
class UploadedFile:
    """A file part of a multipart request, as the bot uploaded it."""

    field_name: str
    file_name: str
    mime_type: str
    content: bytes


@dataclass
class Call:
    """One request the bot made; `status` and `description` are filled in once answered."""

    method: str
    params: JSONDict
    at: float
    status: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class LimitViolation:
    """A send that broke one of Telegram's flood limits."""

    at: float
    chat_id: int
    rules: tuple[str, ...]


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> JSONDict:
        """The JSON body Telegram answers with."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class Failure:
    """A scheduled error answer for `fail_next`."""

    error: ApiError
    remaining: int


@dataclass
class StoredFile:
    """A file the fake can hand out through getFile and the download URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str | None
    mime_type: str | None
    file_size: int
    content: bytes


def inline_markup(params: JSONDict) -> JSONDict:
    """`{"reply_markup": ...}` if the call carries an inline keyboard (the only kind Telegram
    returns in a Message), else `{}`."""
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return {"reply_markup": markup}
    return {}


def private_chat(user: JSONDict) -> JSONDict:
    """The private `Chat` object of a user."""
    chat: JSONDict = {"id": user["id"], "type": "private"}
    chat.update({k: v for k, v in user.items() if k in _PRIVATE_CHAT_FIELDS})
    return chat


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def as_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    """The storage key of a command list."""
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code


def document_object(stored: StoredFile) -> JSONDict:
    """The Bot API `Document` object of a stored file."""
    document: JSONDict = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
    }
    if stored.file_name is not None:
        document["file_name"] = stored.file_name
    if stored.mime_type is not None:
        document["mime_type"] = stored.mime_type
    return document


def chat_member(status: str, user: JSONDict) -> JSONDict:
    """A `ChatMember` object with the fields PTB requires for `status`."""
    member: JSONDict = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
        member.update(dict.fromkeys(_ADMIN_LIMITS, False))
    elif status == "restricted":
        member.update(dict.fromkeys(_RESTRICTED_RIGHTS, False))
        member.update(is_member=True, until_date=0)
    elif status == "kicked":
        member["until_date"] = 0
    return member
