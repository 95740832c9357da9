"""A fake Telegram Bot API server over real HTTP, for tests, benchmarks and the offline demo.

The real python-telegram-bot stack talks to it through ``base_url``/``base_file_url``; the test
drives it as users would (`FakeTelegram.user_sends`, `FakeTelegram.user_presses`, ...) and
observes what the bot did (`FakeTelegram.calls`, `FakeTelegram.sent_messages`, ...).
Every piece of state is guarded by one condition variable, notified whenever anything changes.
"""

from __future__ import annotations

import contextlib
import copy
import email.parser
import email.policy
import json
import mimetypes
import re
import socket
import socketserver
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = [
    "Call",
    "FakeChat",
    "FakeTelegram",
    "FakeUser",
    "LimitViolation",
    "UploadedFile",
]

JSONDict = dict[str, Any]

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_SIZE = 50 * 1024 * 1024
SUPERGROUP_ID_LIMIT = -1_000_000_000_000
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})

_API_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?$")
_FILE_PATH = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>.+)$")
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
_BOT_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_INTEGER = re.compile(r"^-?\d+$")
_FLOAT = re.compile(r"^-?\d+\.\d+$")
# Parameters whose values are free text or identifiers: never guess a JSON type for these.
_TEXT_PARAMS = frozenset(
    {
        "text", "caption", "title", "description", "short_description", "name", "url",
        "callback_query_id", "file_id", "secret_token", "parse_mode", "action",
        "inline_message_id", "language_code", "query", "ip_address", "business_connection_id",
        "message_effect_id", "emoji", "custom_title", "document", "photo", "audio", "video",
        "animation", "voice", "video_note", "sticker", "thumbnail",
    }
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
class _Failure:
    """A scheduled error answer for `fail_next`."""

    error: ApiError
    remaining: int


@dataclass
class _StoredFile:
    """A file the fake can hand out through getFile and the download URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str | None
    mime_type: str | None
    file_size: int
    content: bytes


class _LimitTracker:
    """Counts sends that break the global, per-private-chat and per-group flood limits."""

    def __init__(self, scale: float) -> None:
        # Scaling a rate up is the same as shrinking its window with the same count allowed.
        self._rules: dict[str, tuple[float, int]] = {
            "global": (1.0 / scale, 30),
            "private": (1.0 / scale, 1),
            "group": (60.0 / scale, 20),
        }
        self._global: deque[float] = deque()
        self._per_chat: dict[int, deque[float]] = {}
        self.sends: list[tuple[float, int]] = []
        self.violations: list[LimitViolation] = []

    def record(self, chat_id: int, at: float) -> None:
        """Record a send to `chat_id` at `at` and note which limits it breaks."""
        self.sends.append((at, chat_id))
        broken = []
        if self._over("global", self._global, at):
            broken.append("global")
        rule = "private" if chat_id > 0 else "group"
        if self._over(rule, self._per_chat.setdefault(chat_id, deque()), at):
            broken.append(rule)
        if broken:
            self.violations.append(LimitViolation(at, chat_id, tuple(broken)))

    def _over(self, rule: str, window: deque[float], at: float) -> bool:
        """Whether a send at `at` puts more than the allowed count into the sliding window."""
        length, allowed = self._rules[rule]
        while window and window[0] <= at - length:
            window.popleft()
        window.append(at)
        return len(window) > allowed


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the owning `FakeTelegram`."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; Nagle plus delayed ACKs would add ~40 ms to each.
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        """Track the connection so that `stop` can cut idle keep-alive connections."""
        super().setup()
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        """Forget the connection."""
        try:
            super().finish()
        finally:
            self.server.track(self.connection, add=False)

    def do_GET(self) -> None:
        """Serve a Bot API call or a file download."""
        self.server.fake._serve(self)

    def do_POST(self) -> None:
        """Serve a Bot API call."""
        self.server.fake._serve(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and benchmarks read stderr."""


class _Server(ThreadingHTTPServer):
    """A threading HTTP server that knows its open connections."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], fake: FakeTelegram) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without `HTTPServer`'s reverse DNS lookup, which can stall for seconds."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def track(self, connection: socket.socket, *, add: bool) -> None:
        """Add or remove an open connection."""
        with self._connections_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def cut_connections(self) -> None:
        """Shut down every open connection so that its handler thread ends."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that went away; keep anything else for `server_errors`."""
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, OSError):
            self.fake._note_server_error(error)


class FakeTelegram:
    """A fake Telegram Bot API server on a real local HTTP port."""

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
        self._cond = threading.Condition(threading.RLock())
        self._server: _Server | None = None
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
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._uploads: dict[int, list[tuple[str, bytes]]] = {}
        self._callback_queries: dict[str, bool] = {}
        self._next_callback_id = 1
        self._blocked: set[int] = set()
        self._member_status: dict[tuple[int, int], str] = {}
        self._failures: dict[str, deque[_Failure]] = {}
        self._stalls: dict[str, deque[float]] = {}
        self._answering = 0  # requests being answered right now
        self._limits = _LimitTracker(limits_scale)
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._webhook: JSONDict = {}
        self._methods: dict[str, tuple[str, Callable[[JSONDict], Any]]] = {
            name.lower(): (name, handler) for name, handler in self._method_table().items()
        }

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeTelegram:
        """Start serving in a background thread; returns self."""
        if self._server is not None:
            raise RuntimeError("FakeTelegram is already started")
        self._stopping = False
        self._server = _Server((self._host, self._port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-telegram",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end pending long polls and close every connection."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            # Long polls now answer; let them finish writing before their sockets are cut.
            self._cond.wait_for(lambda: self._answering == 0, timeout=2.0)
        server.shutdown()
        server.cut_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the server listens on (only once started)."""
        if self._server is None:
            raise RuntimeError("FakeTelegram is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to give PTB as `base_url`; it appends the token and the method."""
        return f"http://{self._host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """What to give PTB as `base_file_url`."""
        return f"http://{self._host}:{self.port}/file/bot"

    @property
    def bot_user(self) -> JSONDict:
        """The bot's own `User` object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Thi đua (test)",
            "username": self.bot_username,
        }

    # ----------------------------------------------------------------- driving

    def user_sends(self, user: FakeUser, text: str, *, chat: FakeChat | None = None) -> JSONDict:
        """Enqueue a text message from `user` (to the private chat unless `chat` is given)."""
        content: JSONDict = {"text": text}
        if command := _COMMAND.match(text):
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command.group())}
            ]
        with self._cond:
            message = self._user_message(user, chat, content)
            return self.push_update({"message": message})

    def user_sends_document(
        self,
        user: FakeUser,
        *,
        file_name: str,
        mime_type: str,
        file_size: int,
        content: bytes = b"",
        chat: FakeChat | None = None,
        caption: str | None = None,
    ) -> JSONDict:
        """Enqueue a document from `user`; getFile and the download URL serve `content`."""
        with self._cond:
            stored = self._register_file(
                content,
                folder="documents",
                file_name=file_name,
                mime_type=mime_type,
                file_size=file_size,
            )
            body: JSONDict = {"document": _document_object(stored)}
            if caption is not None:
                body["caption"] = caption
            message = self._user_message(user, chat, body)
            return self.push_update({"message": message})

    def user_presses(self, user: FakeUser, message: JSONDict, data: str) -> JSONDict:
        """Enqueue a callback query: `user` pressed the button with `data` on a bot message."""
        with self._cond:
            self._users[user.id] = user.as_dict()
            key = (message["chat"]["id"], message["message_id"])
            current = copy.deepcopy(self._messages.get(key, message))
            query_id = str(self._next_callback_id)
            self._next_callback_id += 1
            self._callback_queries[query_id] = False
            query = {
                "id": query_id,
                "from": user.as_dict(),
                "message": current,
                "chat_instance": f"instance{key[0]}",
                "data": data,
            }
            return self.push_update({"callback_query": query})

    def push_update(self, update: JSONDict) -> JSONDict:
        """Enqueue a raw update, assigning `update_id` if absent; returns it."""
        with self._cond:
            update = self._number_update(update)
            self._updates.append(update)
            self._cond.notify_all()
            return copy.deepcopy(update)

    def deliver_webhook(self, update: JSONDict, *, timeout: float = 10.0) -> int:
        """POST `update` to the webhook set by the bot; returns the HTTP status."""
        with self._cond:
            url = self._webhook.get("url")
            secret = self._webhook.get("secret_token")
            update = self._number_update(update)
        if not url:
            raise RuntimeError("no webhook is set")
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(
            url, data=json.dumps(update).encode(), headers=headers, method="POST"
        )
        # Never through a proxy from the environment: the webhook is a local test server.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=timeout) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as error:
            error.read()
            error.close()
            return int(error.code)

    def deliver_pending_webhooks(self, *, timeout: float = 10.0) -> list[int]:
        """POST the queued updates to the webhook in order, as Telegram does; returns statuses.

        An update answered with 2xx leaves the queue; the first refused one stops the round and
        stays queued, with those after it.
        """
        with self._cond:
            pending = copy.deepcopy(self._updates)
        statuses: list[int] = []
        for update in pending:
            statuses.append(self.deliver_webhook(update, timeout=timeout))
            if not 200 <= statuses[-1] < 300:
                break
            with self._cond:
                self._updates = [u for u in self._updates if u["update_id"] != update["update_id"]]
                self._cond.notify_all()
        return statuses

    # ----------------------------------------------------------------- configuring

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls to `method` with this error."""
        with self._cond:
            queue = self._failures.setdefault(method.lower(), deque())
            queue.append(_Failure(ApiError(status, description, retry_after), times))

    def stall_next(self, method: str, *, seconds: float, times: int = 1) -> None:
        """Hold the next `times` calls to `method` this long before answering (a timeout)."""
        with self._cond:
            self._stalls.setdefault(method.lower(), deque()).extend([seconds] * times)

    def block_chat(self, chat_id: int) -> None:
        """Make sends to this chat fail as if the user blocked the bot."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """Undo `block_chat`."""
        with self._cond:
            self._blocked.discard(chat_id)

    def set_bot_member_status(self, chat_id: int, status: str) -> None:
        """Set the bot's status in a group; "left" or "kicked" also make sends there fail."""
        self.set_member_status(chat_id, self.bot_id, status)

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Set what getChatMember answers for `user_id` in `chat_id`."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"unknown chat member status {status!r}")
        with self._cond:
            self._member_status[(chat_id, user_id)] = status

    # ----------------------------------------------------------------- observing

    @property
    def calls(self) -> list[Call]:
        """Every request so far, oldest first (a snapshot)."""
        with self._cond:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The requests to `method` (case-insensitive)."""
        wanted = method.lower()
        with self._cond:
            return [call for call in self._calls if call.method.lower() == wanted]

    def sent_messages(self, chat_id: int | None = None) -> list[JSONDict]:
        """The messages the bot sent and has not deleted, in order, with edits applied."""
        with self._cond:
            keys = self._sent if chat_id is None else self._sent_by_chat.get(chat_id, [])
            return [copy.deepcopy(self._messages[k]) for k in keys if k not in self._deleted]

    def uploaded_files(self, chat_id: int) -> list[tuple[str, bytes]]:
        """The (file name, content) of every document or photo the bot uploaded to `chat_id`."""
        with self._cond:
            return list(self._uploads.get(chat_id, []))

    def bot_commands(
        self, scope: JSONDict | None = None, language_code: str = ""
    ) -> list[JSONDict]:
        """The commands set with setMyCommands for this scope and language."""
        with self._cond:
            return copy.deepcopy(self._commands.get(_commands_key(scope, language_code), []))

    @property
    def webhook(self) -> JSONDict:
        """The parameters of the last setWebhook (empty when no webhook is set)."""
        with self._cond:
            return dict(self._webhook)

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates the bot has not confirmed yet."""
        with self._cond:
            return copy.deepcopy(self._updates)

    @property
    def limit_violations(self) -> int:
        """How many sends broke a flood limit."""
        with self._cond:
            return len(self._limits.violations)

    @property
    def limit_violation_details(self) -> list[LimitViolation]:
        """Which sends broke which flood limit."""
        with self._cond:
            return list(self._limits.violations)

    def send_times(self, chat_id: int | None = None) -> list[float]:
        """The clock readings of the bot's successful sends, overall or to one chat."""
        with self._cond:
            return [at for at, chat in self._limits.sends if chat_id in (None, chat)]

    @property
    def server_errors(self) -> list[BaseException]:
        """Unexpected exceptions inside the fake (each also answered with a 500)."""
        with self._cond:
            return list(self._server_errors)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Wait until `predicate()` holds, re-checking whenever the fake's state changes."""
        with self._cond:
            return self._cond.wait_for(predicate, timeout)

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> list[JSONDict]:
        """Wait until the bot has sent at least `count` messages to `chat_id`; returns them all."""
        if not self.wait_for(lambda: self._live_sent_count(chat_id) >= count, timeout):
            raise TimeoutError(self._timeout_report(chat_id, count, timeout))
        return self.sent_messages(chat_id)

    def _live_sent_count(self, chat_id: int) -> int:
        """How many messages the bot sent to `chat_id`, not counting deleted ones."""
        return sum(1 for key in self._sent_by_chat.get(chat_id, []) if key not in self._deleted)

    def _timeout_report(self, chat_id: int, count: int, timeout: float) -> str:
        """A dump of what did happen, for a failed `wait_for_messages`."""
        with self._cond:
            messages = self.sent_messages(chat_id)
            lines = [
                f"expected {count} message(s) to chat {chat_id} within {timeout} s, "
                f"got {len(messages)}:"
            ]
            lines += [f"  #{m['message_id']}: {_summary(m)}" for m in messages]
            lines.append(f"last calls (of {len(self._calls)}):")
            for call in self._calls[-20:]:
                params = {k: v for k, v in call.params.items() if k != "offset"}
                outcome = f"{call.status} {call.description or ''}".rstrip()
                lines.append(f"  {call.method} {_short(params)} -> {outcome}")
            lines += [f"server error: {error!r}" for error in self._server_errors]
            return "\n".join(lines)

    # ----------------------------------------------------------------- HTTP plumbing

    def _note_server_error(self, error: BaseException) -> None:
        """Keep an unexpected exception for `server_errors`."""
        with self._cond:
            self._server_errors.append(error)

    def _serve(self, handler: _Handler) -> None:
        """Answer one HTTP request."""
        try:
            body = _read_body(handler)
        except (ValueError, OSError):
            handler.close_connection = True
            _write(handler, 400, _json(ApiError(400, "Bad Request").payload()))
            return
        content_type = handler.headers.get("Content-Type", "")
        with self._cond:
            self._answering += 1
        try:
            status, payload, kind = self.respond(handler.command, handler.path, content_type, body)
            _write(handler, status, payload, kind)
        finally:
            with self._cond:
                self._answering -= 1
                self._cond.notify_all()

    def respond(
        self, http_method: str, target: str, content_type: str, body: bytes
    ) -> tuple[int, bytes, str]:
        """Answer one request (API call or file download) without any network: HTTP's core."""
        url = urlsplit(target)
        path = unquote(url.path)
        if match := _API_PATH.match(path):
            status, payload = self._serve_api(
                match["token"], match["method"], content_type, url.query, body
            )
            return status, payload, "application/json"
        if http_method == "GET" and (match := _FILE_PATH.match(path)):
            return self._serve_file(match["token"], match["path"])
        return 404, _json(ApiError(404, "Not Found").payload()), "application/json"

    def _serve_file(self, token: str, file_path: str) -> tuple[int, bytes, str]:
        """The bytes of a registered file, or a JSON error."""
        if token != self.token:
            return 401, _json(ApiError(401, "Unauthorized").payload()), "application/json"
        with self._cond:
            stored = self._files_by_path.get(file_path)
        if stored is None:
            return 404, _json(ApiError(404, "Not Found").payload()), "application/json"
        return 200, stored.content, stored.mime_type or "application/octet-stream"

    def _serve_api(
        self, token: str, method: str, content_type: str, query: str, body: bytes
    ) -> tuple[int, bytes]:
        """Record and answer one Bot API call."""
        known = self._methods.get(method.lower())
        parse_error: str | None = None
        try:
            params = _parse_params(content_type, query, body)
        except ValueError as error:
            params, parse_error = {}, f"Bad Request: {error}"
        call = Call(known[0] if known else method, params, self._clock())
        with self._cond:
            self._calls.append(call)
            self._cond.notify_all()
            stalls = self._stalls.get(method.lower())
            stall = stalls.popleft() if stalls else 0.0
        if stall:
            time.sleep(stall)  # outside the lock: other requests go on meanwhile
        try:
            result = self._answer(token, method.lower(), known, params, parse_error)
            with self._cond:
                payload = _json({"ok": True, "result": result})
            status, description = 200, None
        except ApiError as error:
            status, description, payload = error.status, error.description, _json(error.payload())
        except Exception as error:  # a bug in the fake must not hang the bot under test
            self._note_server_error(error)
            failure = ApiError(500, f"Internal Server Error: {error!r}")
            status, description, payload = 500, failure.description, _json(failure.payload())
        with self._cond:
            call.status, call.description = status, description
            self._cond.notify_all()
        return status, payload

    def _answer(
        self,
        token: str,
        method: str,
        known: tuple[str, Callable[[JSONDict], Any]] | None,
        params: JSONDict,
        parse_error: str | None,
    ) -> Any:
        """The result of a call, or an `ApiError`."""
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        if known is None:
            raise ApiError(404, "Not Found: method not found")
        if parse_error is not None:
            raise ApiError(400, parse_error)
        with self._cond:
            self._raise_scheduled_failure(method)
            return known[1](params)

    def _raise_scheduled_failure(self, method: str) -> None:
        """Raise the next `fail_next` error for `method`, if any."""
        queue = self._failures.get(method)
        if not queue:
            return
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.popleft()
        raise failure.error

    # ----------------------------------------------------------------- state helpers

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
                chat = _private_chat(self._users.get(chat_id, stranger))
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
        self._chats[chat_id] = _private_chat(user.as_dict()) if chat is None else chat.as_dict()
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
        self._limits.record(chat_id, self._clock())
        return copy.deepcopy(message)

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
        fields = _inline_markup(params)
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

    def _register_file(
        self,
        content: bytes,
        *,
        folder: str,
        file_name: str | None,
        mime_type: str | None,
        file_size: int | None = None,
    ) -> _StoredFile:
        """Keep a file so that getFile and the download URL can serve it."""
        number = len(self._files) + 1
        suffix = PurePosixPath(file_name).suffix if file_name else ".jpg"
        stored = _StoredFile(
            file_id=f"BQACAgIAAxkBAAI{number:08d}",
            file_unique_id=f"AgAD{number:08d}",
            file_path=f"{folder}/file_{number}{suffix}",
            file_name=file_name,
            mime_type=mime_type,
            file_size=len(content) if file_size is None else file_size,
            content=content,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _input_file(self, params: JSONDict, field_name: str, folder: str) -> _StoredFile:
        """The file a send names: a fresh upload, a known file_id, or a URL."""
        value = params.get(field_name)
        if isinstance(value, UploadedFile):
            if not value.content:
                raise ApiError(400, "Bad Request: file must be non-empty")
            if len(value.content) > MAX_UPLOAD_SIZE:
                raise ApiError(413, "Request Entity Too Large")
            return self._register_file(
                value.content, folder=folder, file_name=value.file_name, mime_type=value.mime_type
            )
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = PurePosixPath(urlsplit(value).path).name or "file"
            return self._register_file(
                b"", folder=folder, file_name=name, mime_type=mimetypes.guess_type(name)[0]
            )
        if value is None:
            raise ApiError(400, f"Bad Request: there is no {field_name} in the request")
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _caption_fields(self, params: JSONDict) -> JSONDict:
        """`caption` and `caption_entities` of a media send, checked for length."""
        caption = params.get("caption")
        if caption is None:
            return {}
        if _utf16_len(str(caption)) > MAX_CAPTION_LENGTH:
            raise ApiError(400, "Bad Request: message caption is too long")
        fields: JSONDict = {"caption": str(caption)}
        if params.get("caption_entities"):
            fields["caption_entities"] = params["caption_entities"]
        return fields

    def _note_upload(self, params: JSONDict, field_name: str, stored: _StoredFile) -> None:
        """Remember an upload's bytes for `uploaded_files`."""
        if isinstance(params.get(field_name), UploadedFile):
            chat_id = self._chat_id(params)
            self._uploads.setdefault(chat_id, []).append((stored.file_name or "", stored.content))

    # ----------------------------------------------------------------- Bot API methods

    def _method_table(self) -> dict[str, Callable[[JSONDict], Any]]:
        """Canonical Bot API method names and their implementations."""
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "getFile": self._get_file,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._bot_text_setter("description"),
            "getMyDescription": self._bot_text_getter("description"),
            "setMyShortDescription": self._bot_text_setter("short_description"),
            "getMyShortDescription": self._bot_text_getter("short_description"),
            "setMyName": self._bot_text_setter("name"),
            "getMyName": self._bot_text_getter("name"),
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "close": lambda params: True,
            "logOut": lambda params: True,
        }

    def _get_me(self, params: JSONDict) -> JSONDict:
        """getMe."""
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """getUpdates: confirm up to `offset`, then long-poll up to `timeout` seconds."""
        if self._webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = min(max(float(params.get("timeout") or 0), 0.0), 60.0)
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # Like Telegram, a newer getUpdates ends an older one still waiting with a conflict.
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()
        self._cond.wait_for(
            lambda: bool(self._updates) or self._stopping or self._poll_generation != generation,
            timeout,
        )
        if self._poll_generation != generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return copy.deepcopy(self._updates[:limit])

    def _send_message(self, params: JSONDict) -> JSONDict:
        """sendMessage."""
        text = str(params.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(text) > MAX_TEXT_LENGTH:
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
        if _utf16_len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        markup = _inline_markup(params)
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
        markup = _inline_markup(params)
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
        markup = _inline_markup(params)
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
        content = {"document": _document_object(stored), **self._caption_fields(params)}
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

    def _set_my_commands(self, params: JSONDict) -> bool:
        """setMyCommands, with Telegram's checks on command names and descriptions."""
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands must be an array")
        for command in commands:
            if not _BOT_COMMAND_NAME.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: command description must be non-empty")
        key = _commands_key(params.get("scope"), str(params.get("language_code") or ""))
        self._commands[key] = commands
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        """getMyCommands."""
        key = _commands_key(params.get("scope"), str(params.get("language_code") or ""))
        return copy.deepcopy(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSONDict) -> bool:
        """deleteMyCommands."""
        key = _commands_key(params.get("scope"), str(params.get("language_code") or ""))
        self._commands.pop(key, None)
        return True

    def _bot_text_setter(self, name: str) -> Callable[[JSONDict], bool]:
        """setMyName / setMyDescription / setMyShortDescription."""

        def setter(params: JSONDict) -> bool:
            language = str(params.get("language_code") or "")
            self._bot_texts[(name, language)] = str(params.get(name) or "")
            return True

        return setter

    def _bot_text_getter(self, name: str) -> Callable[[JSONDict], JSONDict]:
        """getMyName / getMyDescription / getMyShortDescription."""

        def getter(params: JSONDict) -> JSONDict:
            language = str(params.get("language_code") or "")
            return {name: self._bot_texts.get((name, language), "")}

        return getter

    def _set_chat_menu_button(self, params: JSONDict) -> bool:
        """setChatMenuButton."""
        chat_id = self._chat_id(params) if "chat_id" in params else None
        button = params.get("menu_button")
        self._menu_buttons[chat_id] = button if isinstance(button, dict) else {"type": "default"}
        return True

    def _get_chat_menu_button(self, params: JSONDict) -> JSONDict:
        """getChatMenuButton."""
        chat_id = self._chat_id(params) if "chat_id" in params else None
        default = self._menu_buttons.get(None, {"type": "commands"})
        return copy.deepcopy(self._menu_buttons.get(chat_id, default))

    def _get_chat(self, params: JSONDict) -> JSONDict:
        """getChat: a `ChatFullInfo` with the fields PTB requires."""
        return {
            **copy.deepcopy(self._chat(self._chat_id(params))),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        """getChatMember; the bot administers groups unless told otherwise."""
        chat_id = self._chat_id(params)
        user_id = int(params.get("user_id", 0))
        if user_id == self.bot_id:
            user = self.bot_user
            default = "administrator" if chat_id < 0 else "member"
        else:
            stranger = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
            user = self._users.get(user_id, stranger)
            default = "member"
        status = self._member_status.get((chat_id, user_id), default)
        return _chat_member(status, user)

    def _set_webhook(self, params: JSONDict) -> bool:
        """setWebhook; an empty url removes the webhook, as on Telegram."""
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {k: v for k, v in params.items() if not isinstance(v, UploadedFile)}
        if not params.get("url"):
            self._webhook = {}
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        """deleteWebhook."""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {}
        return True

    def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        """getWebhookInfo."""
        info: JSONDict = {
            "url": str(self._webhook.get("url", "")),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in self._webhook:
                info[key] = self._webhook[key]
        return info


# --------------------------------------------------------------------- module helpers

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


def _inline_markup(params: JSONDict) -> JSONDict:
    """`{"reply_markup": ...}` if the call carries an inline keyboard (the only kind Telegram
    returns in a Message), else `{}`."""
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return {"reply_markup": markup}
    return {}


def _private_chat(user: JSONDict) -> JSONDict:
    """The private `Chat` object of a user."""
    chat: JSONDict = {"id": user["id"], "type": "private"}
    chat.update({k: v for k, v in user.items() if k in _PRIVATE_CHAT_FIELDS})
    return chat


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def _json(payload: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _short(value: Any, limit: int = 160) -> str:
    """A one-line, truncated repr for dumps."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary(message: JSONDict) -> str:
    """What a message shows, for dumps."""
    if "text" in message:
        return _short(message["text"])
    if "document" in message:
        return f"[document {message['document'].get('file_name')!r}]"
    return "[photo]" if "photo" in message else _short(message)


def _commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    """The storage key of a command list."""
    scope = scope if isinstance(scope, dict) else {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code


def _document_object(stored: _StoredFile) -> JSONDict:
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


def _chat_member(status: str, user: JSONDict) -> JSONDict:
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


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """The request body, whether sized by Content-Length or sent chunked."""
    if "chunked" in handler.headers.get("Transfer-Encoding", "").lower():
        chunks: list[bytes] = []
        while True:
            size = int(handler.rfile.readline(65537).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline(65537)
    length = int(handler.headers.get("Content-Length") or 0)
    if length < 0:
        raise ValueError("negative Content-Length")
    return handler.rfile.read(length) if length else b""


def _write(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str = "application/json",
) -> None:
    """Send a complete response; a client that went away is not an error."""
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except OSError:
        handler.close_connection = True


def _parse_params(content_type: str, query: str, body: bytes) -> JSONDict:
    """Call parameters from the query string and a JSON, urlencoded or multipart body."""
    params: JSONDict = {k: _decode_value(k, v) for k, v in parse_qsl(query, keep_blank_values=True)}
    kind = content_type.split(";", 1)[0].strip().lower()
    if not body.strip():
        return params
    if kind == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError as error:
            raise ValueError("can't parse JSON body") from error
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        params.update({k: _decode_json_field(k, v) for k, v in decoded.items()})
    elif kind == "multipart/form-data":
        params.update(_parse_multipart(content_type, body))
    else:
        text = body.decode("utf-8", "replace")
        params.update({k: _decode_value(k, v) for k, v in parse_qsl(text, keep_blank_values=True)})
    return _resolve_attachments(params)


def _parse_multipart(content_type: str, body: bytes) -> JSONDict:
    """Fields of a multipart/form-data body; file parts become `UploadedFile`s."""
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    message = parser.parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("can't parse multipart body")
    fields: JSONDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        file_name = part.get_filename()
        if file_name is None:
            fields[name] = _decode_value(name, content.decode("utf-8", "replace"))
            continue
        # httpx escapes quotes in file names the HTML5 way.
        file_name = file_name.replace("%22", '"')
        mime_type = part.get_content_type() if "content-type" in part else None
        mime_type = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        fields[name] = UploadedFile(name, file_name, mime_type, content)
    return fields


def _resolve_attachments(params: JSONDict) -> JSONDict:
    """Replace "attach://<name>" values with the uploaded part of that name."""
    attached = {
        key: value[len("attach://") :]
        for key, value in params.items()
        if isinstance(value, str) and value.startswith("attach://")
    }
    for key, part_name in attached.items():
        if isinstance(params.get(part_name), UploadedFile):
            params[key] = params.pop(part_name)
    return params


def _decode_value(key: str, value: str) -> Any:
    """A form field as Telegram reads it: JSON objects, arrays, numbers and booleans decoded."""
    if key in _TEXT_PARAMS:
        return value
    if value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if _INTEGER.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if value in ("true", "false"):
        return value == "true"
    return value


def _decode_json_field(key: str, value: Any) -> Any:
    """A JSON body field; objects sent as JSON strings are decoded too."""
    if isinstance(value, str) and key not in _TEXT_PARAMS and value[:1] in ("{", "["):
        return _decode_value(key, value)
    return value
