"""Admin and chair commands: typed, pressed as buttons, or answered by replying to a prompt."""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.ext import filters

from bot.desk import (
    access,
    agenda,
    approve,
    attendance,
    audit,
    board,
    broadcast,
    checkin,
    clusters,
    conference,
    delegates,
    export,
    groups,
    handover,
    imports,
    invitation,
    locking,
    members,
    minutes,
    periods,
    pledge,
    profile,
    remind,
    report,
    rescore,
    returns,
    scores,
    signing,
    summary,
    vote,
)
from bot.desk.request import Request
from bot.domain.callbacks import decode
from bot.edge.context import BotContext
from bot.edge.send import send
from bot.handlers import groups as group_chat
from bot.handlers.conference import on_present
from bot.handlers.desk_steps import Handler, plain
from bot.handlers.papers import with_pdf

__all__ = ["ANSWERS_PROMPT", "HANDLERS", "NAMES", "on_button", "on_command", "on_reply"]

HANDLERS: dict[str, Handler] = {
    "clusters": plain(clusters.clusters),
    "units": plain(clusters.units),
    "periods": plain(periods.periods),
    "members": plain(members.members),
    "audit": plain(audit.audit),
    "profile": plain(profile.profile),
    "open": plain(locking.open_period),
    "lock": plain(locking.lock),
    "unlock": plain(locking.unlock),
    "invite": plain(access.invite),
    "revoke": plain(access.revoke),
    "broadcast": plain(broadcast.broadcast),
    "import": plain(imports.import_setup),
    "template": plain(imports.template),
    "board": plain(board.board),
    "summary": plain(summary.summary),
    "remind": plain(remind.remind),
    "export": plain(export.export),
    "return": plain(returns.return_submission),
    "pledge": plain(pledge.pledge),  # next year's targets: registration, review, signing
    "sign": plain(signing.sign),  # a focal point signs the unit's registered targets
    # Scoring: the ranking, the chair's changes (the unit answers by /scores explain).
    "scores": plain(scores.scores),
    "rescore": plain(rescore.rescore),
    "approve": plain(approve.approve),
    # The conference: set up, roll-call (and its «Có mặt» press), attendance, agenda, lists.
    "conference": plain(conference.conference),
    "checkin": plain(checkin.checkin),
    "present": on_present,
    "attendance": plain(attendance.attendance),
    "agenda": plain(agenda.agenda),
    "next": plain(agenda.next_item),
    "delegates": plain(delegates.delegates),
    "handover": plain(handover.handover),  # next year's chair and vice-chair, in the group
    "vote": plain(vote.vote),  # a conference's vote: open, follow, remind, close, or make one
    "closevote": plain(vote.closevote),
    # The papers: each as a Word file, then as PDF where LibreOffice is installed.
    "report": with_pdf(report.report),
    "minutes": with_pdf(minutes.minutes),
    "invitation": with_pdf(invitation.invitation),
    "bind": group_chat.bind,
    "unbind": plain(groups.unbind),
}
NAMES = tuple(HANDLERS)

_COMMAND = re.compile(r"^/(\w+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
# A prompt ends with the command it completes, e.g. `/return 2026-h1 sa-thay`.
_PROMPT_LINE = re.compile(
    r"^/(broadcast|return|pledge|rescore|scores|conference|attendance|vote|minutes|profile)"
    r"((?: [A-Za-z0-9_.#-]+)+)$",
    re.MULTILINE,
)


async def on_command(update: Update, context: BotContext) -> None:
    """`/name words…`, in a private chat or a group."""
    message = update.effective_message
    match = _COMMAND.match(message.text or "") if message else None
    if match is None or match[1].lower() not in HANDLERS:
        return
    name, tail = match[1].lower(), (match[2] or "").strip()
    await HANDLERS[name](update, context, Request(name, tuple(tail.split()), tail))


async def on_button(update: Update, context: BotContext) -> None:
    """A button `c:<command>:<words…>` of an earlier answer."""
    callback = decode(update.callback_query.data if update.callback_query else None)
    name, words = (callback.args[0], callback.args[1:]) if callback.args else ("", ())
    if name not in HANDLERS:
        await send(update, [])  # stops the button's spinner
        return
    await HANDLERS[name](update, context, Request(name, words, " ".join(words)))


class _AnswersPrompt(filters.MessageFilter):
    """A reply to one of the bot's prompts (a reason to return, a message to broadcast)."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        return _PROMPT_LINE.search(replied.text or "") is not None


ANSWERS_PROMPT = _AnswersPrompt()


async def on_reply(update: Update, context: BotContext) -> None:
    """The reply to a prompt: the prompt's command, completed with the reply's text."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    lines = _PROMPT_LINE.findall(replied.text or "") if replied else []
    if message is None or not lines:
        return
    name, words = lines[-1]
    tail = f"{words.strip()} {(message.text or '').strip()}"
    await HANDLERS[name](update, context, Request(name, tuple(tail.split()), tail))
