"""Who may do what: the one policy every command asks before it acts (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.admin_body import admin_body
from bot.domain.i18n import gettext_for

__all__ = [
    "COMMANDS",
    "Caller",
    "Chat",
    "Role",
    "commands_for",
    "may",
    "out_of_scope",
    "refusal",
]


class Role(StrEnum):
    ADMIN = "admin"  # the provincial emulation board: THIDUA_ADMINS or `thidua admin add`
    CHAIR = "chair"  # a member of the chair or vice-chair unit of a cluster
    FOCAL = "focal"  # a member of a unit, joined by invite
    ANYONE = "anyone"


class Chat(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


_P, _G = Chat.PRIVATE, Chat.GROUP
_ADMIN = frozenset({Role.ADMIN})
_LEADERS = frozenset({Role.ADMIN, Role.CHAIR})
_ALL = frozenset({Role.ANYONE})
_FOCAL = frozenset({Role.FOCAL})

# Command -> chat -> the roles that may use it there, in the order /help and menus list them.
# Submitting is per unit: the conversation itself checks that the person belongs to the unit.
# In a group, /board needs the group to be bound to a cluster (the handler checks it).
COMMANDS: dict[str, dict[Chat, frozenset[Role]]] = {
    "submit": {_P: _FOCAL},
    "status": {_P: _FOCAL},
    "cancel": {_P: _FOCAL},
    "targets": {_P: _FOCAL},
    "sign": {_P: _FOCAL},
    "rsvp": {_P: _FOCAL},
    "board": {_P: _LEADERS, _G: _ALL},
    "summary": {_P: _LEADERS},
    "remind": {_P: _LEADERS, _G: _LEADERS},  # in a group: the open vote's units only
    "export": {_P: _LEADERS},
    "return": {_P: _LEADERS},
    "pledge": {_P: _LEADERS},
    # Scoring: a focal point sees their own unit's scores (and answers the changes).
    "scores": {_P: _LEADERS | _FOCAL},
    "rescore": {_P: _LEADERS},
    "vote": {_P: _LEADERS, _G: _LEADERS},
    "closevote": {_P: _LEADERS, _G: _LEADERS},
    # The conference: in its group the roll-call, agenda and next item go where everyone sees.
    "conference": {_P: _LEADERS},
    "checkin": {_P: _LEADERS, _G: _LEADERS},
    "attendance": {_P: _LEADERS},
    "agenda": {_P: _LEADERS, _G: _LEADERS},
    "next": {_P: _LEADERS, _G: _LEADERS},
    # The year-end: next year's chair and vice-chair announced in the group.
    "handover": {_P: _LEADERS, _G: _LEADERS},
    "delegates": {_P: _LEADERS},
    # The papers, as Word files (and PDF): an invited unit gets its invitation too.
    "report": {_P: _LEADERS},
    "minutes": {_P: _LEADERS},
    "invitation": {_P: _LEADERS | _FOCAL},
    "clusters": {_P: _ADMIN},
    "units": {_P: _ADMIN},
    "periods": {_P: _ADMIN},
    "members": {_P: _ADMIN},
    "open": {_P: _ADMIN},
    "lock": {_P: _ADMIN},
    "unlock": {_P: _ADMIN},
    "invite": {_P: _ADMIN},
    "revoke": {_P: _ADMIN},
    "approve": {_P: _ADMIN},
    "audit": {_P: _ADMIN},
    "broadcast": {_P: _ADMIN},
    "import": {_P: _ADMIN},
    "template": {_P: _ADMIN},
    "bind": {_G: _ADMIN},
    "unbind": {_G: _ADMIN},
    "start": {_P: _ALL},
    "lang": {_P: _ALL},
    "profile": {_P: _ALL},
    "help": {_P: _ALL, _G: _ALL},
}


@dataclass(frozen=True)
class Caller:
    """What the policy needs to know about the person asking."""

    telegram_id: int
    is_admin: bool = False
    # (cluster id, year) whose chair or vice-chair unit the person belongs to.
    chairs: frozenset[tuple[int, int]] = frozenset()
    units: frozenset[int] = frozenset()
    year: int = 0  # this year in the configured timezone

    @property
    def roles(self) -> frozenset[Role]:
        """The roles held now; a chair of last year keeps the role for its year-end review."""
        held = {Role.ANYONE}
        if self.is_admin:
            held.add(Role.ADMIN)
        if self.chaired_clusters():
            held.add(Role.CHAIR)
        if self.units:
            held.add(Role.FOCAL)
        return frozenset(held)

    def chaired_clusters(self) -> frozenset[int]:
        """The clusters the person chairs this year or chaired last year; next year's chair
        takes the role on 1 January (the handover)."""
        return frozenset(
            cluster for cluster, year in self.chairs if self.year - 1 <= year <= self.year
        )

    def leads(self, cluster_id: int, year: int) -> bool:
        """Whether the person may act on the cluster for the year: admin, chair or vice-chair."""
        return self.is_admin or (cluster_id, year) in self.chairs


def may(caller: Caller, command: str, chat: Chat) -> bool:
    """Whether the caller may use the command in this kind of chat."""
    allowed = COMMANDS.get(command, {}).get(chat, frozenset())
    return bool(allowed & caller.roles)


def commands_for(caller: Caller, chat: Chat) -> list[str]:
    """The commands the caller may use in this kind of chat, in menu order."""
    return [command for command in COMMANDS if may(caller, command, chat)]


def refusal(caller: Caller, command: str, chat: Chat, locale: str) -> str:
    """A polite refusal: where the command works if the caller may use it there, else who may."""
    _ = gettext_for(locale)
    places = COMMANDS.get(command, {})
    elsewhere = Chat.GROUP if chat is Chat.PRIVATE else Chat.PRIVATE
    if chat not in places and may(caller, command, elsewhere):
        if elsewhere is Chat.GROUP:
            return _(
                "⛔ Lệnh /{command} dùng trong nhóm của cụm: thêm bot vào nhóm rồi gõ lệnh "
                "trong nhóm."
            ).format(command=command)
        return _(
            "⛔ Lệnh /{command} dùng trong trò chuyện riêng với bot, để số liệu không lộ ra nhóm."
        ).format(command=command)
    roles = places.get(chat) or places.get(elsewhere, frozenset())
    body = admin_body()
    if Role.CHAIR in roles:
        who = _("cụm trưởng, cụm phó của cụm và quản trị viên ({body})").format(body=body)
    elif Role.FOCAL in roles:
        who = _(
            "đầu mối của các đơn vị; đề nghị liên hệ quản trị viên hoặc cụm trưởng để được cấp "
            "đường dẫn mời"
        )
    else:
        who = _("quản trị viên ({body})").format(body=body)
    return _("⛔ Lệnh /{command} chỉ dành cho {who}.").format(command=command, who=who)


def out_of_scope(locale: str) -> str:
    """A chair reaching for a cluster they do not lead."""
    _ = gettext_for(locale)
    return _(
        "⛔ Anh/chị chỉ thao tác được trên cụm mà đơn vị anh/chị là cụm trưởng hoặc cụm phó "
        "trong năm của kỳ báo cáo. Việc khác xin liên hệ quản trị viên ({body})."
    ).format(body=admin_body())
