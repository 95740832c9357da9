"""The acts after the round: the mid-year conference, then the year's end (next year's pledge)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bot.demo.acts import register_delegates, register_targets, send_for_signing, sign
from bot.demo.acts_checks import ActsSeen
from bot.demo.acts_setup import ACTS, NEXT_YEAR, local
from bot.demo.officers import AMBIGUOUS, INVALID, OFFICERS, Officer
from bot.demo.play import Play
from bot.demo.processes import RunningScheduler

__all__ = ["Acts"]

_CONFERENCE, _YEAR_END = ACTS["conferences"]
_REGISTRATION = ACTS["pledges"][0]["registration"]
ATTENDING = (AMBIGUOUS, INVALID)  # the two units that register delegates, then sign
SIGNING = (AMBIGUOUS, INVALID)


def _said(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m.get("text", "")) for m in messages)


def _buttons(messages: list[dict[str, Any]]) -> str:
    rows = [(m.get("reply_markup") or {}).get("inline_keyboard", []) for m in messages]
    return " ".join(str(b.get("text", "")) for r in rows for row in r for b in row)


class Acts:
    """The later acts, played on the round's stage."""

    def __init__(self, play: Play) -> None:
        self.play, self.recorder, self.clock = play, play.recorder, play.clock
        self.players, self.group, self.units = play.players, play.group, play.units
        self.seen = ActsSeen()

    def _everyone(self, told: str = "", into: set[str] | None = None) -> None:
        """Show what each officer got on their own; note those told `told` (text or button)
        since the last such look."""
        for code, player in self.players.items():
            new = player.look()
            if into is not None and (told in _said(new) or told in _buttons(new)):
                into.add(code)

    async def conference(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Giấy mời hội nghị sơ kết: trong nhóm và riêng từng đơn vị")
        self.clock.jump(local(_CONFERENCE["invite"]), self.recorder)
        await scheduler.deliver()
        self.group.show(expect="GIẤY MỜI")
        self._everyone("GIẤY MỜI", self.seen.invited)
        for number, officer in enumerate(ATTENDING):
            moment = local(_CONFERENCE["invite"]) + timedelta(days=1 + number, hours=1)
            await self.play.scene(
                officer, "đăng ký đoàn đại biểu bằng /rsvp", moment, register_delegates
            )
        self.recorder.heading("Bảng đăng ký đại biểu trong nhóm được sửa tại chỗ")
        await scheduler.deliver()
        self.seen.board_edits = self.group.show_edits()
        self._everyone()  # the chairs' digest of the registrations
        self.recorder.heading("Ba ngày trước hạn đăng ký: chỉ nhắc các đơn vị chưa trả lời")
        self.clock.jump(local(_CONFERENCE["rsvp_by"]) - timedelta(days=3), self.recorder)
        await scheduler.deliver()
        self.group.show(expect="chưa")
        self._everyone("chưa đăng ký đại biểu", self.seen.rsvp_reminded)
        await self.check_in(scheduler)

    async def check_in(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Khai mạc hội nghị: cụm trưởng điểm danh trong nhóm")
        self.clock.jump(local(_CONFERENCE["starts"]), self.recorder)
        await scheduler.deliver()
        self._everyone()
        roll_call = await asyncio.to_thread(self.group.say, AMBIGUOUS, "/checkin", expect="Có mặt")
        for count, officer in enumerate(ATTENDING, start=1):
            await asyncio.to_thread(
                self.group.press, officer, roll_call, "Có mặt", expect=f"Có mặt {count}/5"
            )
        self.seen.present = self.group.show_edits()

    async def year_end(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading(f"Đăng ký chỉ tiêu năm {NEXT_YEAR}: nhóm và từng đơn vị được báo")
        opens = local(_REGISTRATION["opens"])
        self.clock.jump(opens, self.recorder)
        await scheduler.deliver()
        self.group.show(expect=str(NEXT_YEAR))
        self._everyone("Đăng ký chỉ tiêu", self.seen.targets_asked)
        await self.play.scene(
            AMBIGUOUS,
            f"đăng ký chỉ tiêu năm {NEXT_YEAR}",
            opens + timedelta(days=1, hours=1),
            register_targets,
        )
        others = [o for o in OFFICERS if o is not AMBIGUOUS]
        self.recorder.heading("Bốn đơn vị còn lại đăng ký chỉ tiêu")
        with self.recorder.quietly():
            await asyncio.to_thread(self._all, others, register_targets)
        self.recorder.note("Các bước giống hệt nhau nên không in ra; mỗi bước vẫn được kiểm tra.")
        await scheduler.deliver()
        self.group.show(expect="5/5")
        self._everyone()  # the chair hears that every unit has registered
        await self.play.scene(
            AMBIGUOUS,
            "gửi giao ước để các đơn vị ký",
            opens + timedelta(days=8, hours=1),
            send_for_signing,
        )
        await scheduler.deliver()
        self.group.show(expect="Ký giao ước")
        self._everyone("Ký giao ước", self.seen.sign_asked)
        await self.year_end_conference(scheduler)
        for number, officer in enumerate(SIGNING):
            moment = local(_YEAR_END["starts"]) + timedelta(hours=2, minutes=10 * number)
            await self.play.scene(officer, "ký giao ước thi đua tại hội nghị", moment, sign)

    async def year_end_conference(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Giấy mời hội nghị tổng kết")
        self.clock.jump(local(_YEAR_END["invite"]), self.recorder)
        await scheduler.deliver()
        self.group.show(expect="GIẤY MỜI")
        with self.recorder.quietly():
            self._everyone()
        self.recorder.note("Giấy mời cũng đến riêng từng đơn vị, như hội nghị sơ kết.")
        self.recorder.heading(f"Hội nghị tổng kết: công bố cụm trưởng, cụm phó năm {NEXT_YEAR}")
        starts = local(_YEAR_END["starts"])
        self.clock.jump(starts, self.recorder)
        await scheduler.deliver()
        self._everyone()
        await asyncio.to_thread(self.group.say, AMBIGUOUS, "/next", expect="Đang diễn ra")
        self.clock.jump(starts + timedelta(hours=1, minutes=30), self.recorder)
        told = await asyncio.to_thread(self.group.say, AMBIGUOUS, "/next", expect="📣")
        self.group.show_edits()
        self.seen.handover = str(told.get("text", ""))

    def _all(self, officers: list[Officer], step: Any) -> None:
        for officer in officers:
            step(self.players[officer.unit_code])
