"""The Bot API methods about the bot itself: getMe, updates, commands, names, chats, webhook."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from bot.fake_telegram.objects import ApiError, JSONDict, UploadedFile, chat_member, commands_key
from bot.fake_telegram.sending import Sending

__all__ = ["Methods"]

_BOT_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class Methods(Sending):
    """Every Bot API method the fake answers, by its canonical name."""

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
        key = commands_key(params.get("scope"), str(params.get("language_code") or ""))
        self._commands[key] = commands
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        """getMyCommands."""
        key = commands_key(params.get("scope"), str(params.get("language_code") or ""))
        return copy.deepcopy(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSONDict) -> bool:
        """deleteMyCommands."""
        key = commands_key(params.get("scope"), str(params.get("language_code") or ""))
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
        return chat_member(status, user)

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
