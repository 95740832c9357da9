"""The fake's state: chats, users, messages, files and settings, behind one condition variable.

Every piece of state is guarded by `_cond`, notified whenever anything changes. The sections of
`FakeTelegram` (driving, configuring, observing, HTTP, the Bot API methods) are its subclasses.
"""

from __future__ import annotations

import abc
import copy
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from bot.fake_telegram.limits import LimitTracker
from bot.fake_telegram.objects import (
    ApiError,
    Call,
    Failure,
    FakeChat,
    FakeUser,
    JSONDict,
    StoredFile,
    inline_markup,
    private_chat,
)
from bot.fake_telegram.server import Server

__all__ = ["EDIT_NOT_FOUND", "FakeState"]

EDIT_NOT_FOUND = "Bad Request: message to edit not found"
SUPERGROUP_ID_LIMIT = -1_000_000_000_000


class FakeState(abc.ABC):
    """What the fake Bot API knows, and the steps that change it under the lock."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "thidua_test_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        limits_scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456
        self.limits_scale = limits_scale
        self._host = host
        self._port = port
        self._clock = clock
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        # Per chat, on the same lock: a wait for one chat's messages wakes when that chat gets
        # one, not at every change (forty waiting users woken per send cost the driver more
        # CPU than the bot spent answering; benchmarks/conversation.py).
        self._sent_conds: dict[int, threading.Condition] = {}
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._calls: list[Call] = []
        self._server_errors: list[BaseException] = []
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._poll_generation = 0
        self._chats: dict[int, JSONDict] = {}
        self._users: dict[int, JSONDict] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._next_message_id: dict[int, int] = {}
        self._sent: list[tuple[int, int]] = []
        self._sent_by_chat: dict[int, list[tuple[int, int]]] = {}
        self._deleted: set[tuple[int, int]] = set()
        self._files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._uploads: dict[int, list[tuple[str, bytes]]] = {}
        self._callback_queries: dict[str, bool] = {}
        self._next_callback_id = 1
        self._blocked: set[int] = set()
        self._member_status: dict[tuple[int, int], str] = {}
        self._failures: dict[str, deque[Failure]] = {}
        self._stalls: dict[str, deque[tuple[float, bool]]] = {}  # (seconds, lost)
        self._pages: dict[str, deque[int]] = {}  # statuses of scheduled proxy error pages
        self._answering = 0  # requests being answered right now
        self._limits = LimitTracker(limits_scale)
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._webhook: JSONDict = {}
        self._methods: dict[str, tuple[str, Callable[[JSONDict], Any]]] = {
            name.lower(): (name, handler) for name, handler in self._method_table().items()
        }

    @abc.abstractmethod
    def _method_table(self) -> dict[str, Callable[[JSONDict], Any]]:
        """Canonical Bot API method names and their implementations."""

    @property
    def bot_user(self) -> JSONDict:
        """The bot's own `User` object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Thi đua (test)",
            "username": self.bot_username,
        }

    def _number_update(self, update: JSONDict) -> JSONDict:
        """A copy of `update` with an `update_id`, keeping ids increasing."""
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(update["update_id"])) + 1
        return update

    def _chat(self, chat_id: int) -> JSONDict:
        """The chat with this id, created on first use."""
        if chat_id not in self._chats:
            if chat_id > 0:
                stranger = {"id": chat_id, "first_name": f"User {chat_id}"}
                chat = private_chat(self._users.get(chat_id, stranger))
            else:
                kind = "supergroup" if chat_id <= SUPERGROUP_ID_LIMIT else "group"
                chat = {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
            self._chats[chat_id] = chat
        return self._chats[chat_id]

    def _chat_id(self, params: JSONDict) -> int:
        """The numeric chat id a call names, resolving "@username"."""
        value = params.get("chat_id")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username", "").lower() == value[1:].lower():
                    return int(chat["id"])
        raise ApiError(400, "Bad Request: chat not found")

    def _user_message(self, user: FakeUser, chat: FakeChat | None, content: JSONDict) -> JSONDict:
        """Store a message from `user` and return a copy for the update."""
        self._users[user.id] = user.as_dict()
        chat_id = user.id if chat is None else chat.id
        self._chats[chat_id] = private_chat(user.as_dict()) if chat is None else chat.as_dict()
        message = self._store_message(chat_id, user.as_dict(), content)
        return copy.deepcopy(message)

    def _store_message(self, chat_id: int, sender: JSONDict, content: JSONDict) -> JSONDict:
        """Store a new message in `chat_id` with the next message id of that chat."""
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message: JSONDict = {
            "message_id": message_id,
            "from": sender,
            "chat": copy.deepcopy(self._chat(chat_id)),
            "date": int(time.time()),
            **content,
        }
        self._messages[(chat_id, message_id)] = message
        return message

    def _bot_sends(self, params: JSONDict, content: JSONDict) -> JSONDict:
        """Store a message the bot sends, count it against the flood limits, and return it."""
        chat_id = self._chat_id(params)
        self._check_can_send(chat_id)
        content = {**content, **self._reply_fields(chat_id, params)}
        message = self._store_message(chat_id, self.bot_user, content)
        key = (chat_id, message["message_id"])
        self._sent.append(key)
        self._sent_by_chat.setdefault(chat_id, []).append(key)
        self._sent_cond(chat_id).notify_all()
        self._limits.record(chat_id, self._clock())
        return copy.deepcopy(message)

    def _sent_cond(self, chat_id: int) -> threading.Condition:
        """What waits for the bot's next message to `chat_id` waits on (hold `_cond`)."""
        if chat_id not in self._sent_conds:
            self._sent_conds[chat_id] = threading.Condition(self._lock)
        return self._sent_conds[chat_id]

    def _check_can_send(self, chat_id: int) -> None:
        """Refuse sends to chats that blocked or removed the bot."""
        status = self._member_status.get((chat_id, self.bot_id))
        if chat_id in self._blocked:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        if status == "kicked":
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        if status == "left":
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")

    def _reply_fields(self, chat_id: int, params: JSONDict) -> JSONDict:
        """`reply_markup` (inline keyboards only, as Telegram returns) and `reply_to_message`."""
        fields = inline_markup(params)
        reply = params.get("reply_parameters")
        reply_to = reply.get("message_id") if isinstance(reply, dict) else None
        reply_to = reply_to if reply_to is not None else params.get("reply_to_message_id")
        if reply_to is None:
            return fields
        target = self._messages.get((chat_id, int(reply_to)))
        if target is not None:
            fields["reply_to_message"] = {
                k: v for k, v in copy.deepcopy(target).items() if k != "reply_to_message"
            }
        elif not (isinstance(reply, dict) and reply.get("allow_sending_without_reply")):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return fields

    def _editable(self, params: JSONDict) -> JSONDict:
        """The stored bot message an edit call names."""
        chat_id = self._chat_id(params)
        self._check_can_send(chat_id)
        key = (chat_id, int(params.get("message_id", 0)))
        message = self._messages.get(key)
        if message is None or key in self._deleted:
            raise ApiError(400, EDIT_NOT_FOUND)
        if message["from"].get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message
