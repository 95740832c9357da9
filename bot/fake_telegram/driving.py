"""Driving the fake as users would: messages, documents, button presses, webhook deliveries."""

from __future__ import annotations

import copy
import json
import re
import urllib.error
import urllib.request

from bot.fake_telegram.files import Files
from bot.fake_telegram.objects import FakeChat, FakeUser, JSONDict, document_object, utf16_len

__all__ = ["Driving"]

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


class Driving(Files):
    """What a test makes users do; each step enqueues an update for the bot."""

    def user_sends(self, user: FakeUser, text: str, *, chat: FakeChat | None = None) -> JSONDict:
        """Enqueue a text message from `user` (to the private chat unless `chat` is given)."""
        content: JSONDict = {"text": text}
        if command := _COMMAND.match(text):
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}
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
            body: JSONDict = {"document": document_object(stored)}
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
