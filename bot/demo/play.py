"""The whole round as scenes at moments of the compressed clock, recording what was seen."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.demo.officers import (
    AMBIGUOUS,
    AMBIGUOUS_TYPED,
    EXPLAINED,
    INVALID,
    INVALID_TYPED,
    OFFICERS,
    RESUMED,
    REVISED,
    DemoFailure,
    Officer,
    Player,
)
from bot.demo.processes import RunningScheduler
from bot.demo.recorder import Recorder
from bot.demo.script import (
    ambiguous,
    cancelled,
    explained,
    invalid,
    join_all,
    resumed,
    revised,
    scene_heading,
)
from bot.demo.stage import GROUP_CHAT_ID, DemoClock, GroupWatcher, Timetable
from bot.demo.verification import Seen
from bot.fake_telegram import FakeTelegram

__all__ = ["Play"]


def _said(messages: list[dict[str, Any]]) -> str:
    return " ".join(str(m.get("text", "")) for m in messages)


class Play:
    """The demo's script: scenes at moments of the compressed clock."""

    def __init__(
        self,
        fake: FakeTelegram,
        recorder: Recorder,
        clock: DemoClock,
        times: Timetable,
        units: Mapping[str, str],
    ) -> None:
        self.fake, self.recorder, self.clock, self.times, self.units = (
            fake,
            recorder,
            clock,
            times,
            units,
        )
        self.players = {o.unit_code: Player(fake, recorder, o) for o in OFFICERS}
        self.group = GroupWatcher(fake, recorder)
        self.seen = Seen()

    async def scene(self, officer: Officer, what: str, moment: datetime, play: Any) -> None:
        """One officer's scene, in a worker thread while the bot's loop serves."""
        player = self.players[officer.unit_code]
        scene_heading(player, self.units, what)
        self.clock.jump(moment, self.recorder)
        await asyncio.to_thread(play, player)

    async def opening(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Kỳ báo cáo mở: bot thông báo trong nhóm của cụm")
        self.clock.jump(self.times.opens, self.recorder)
        await scheduler.deliver()
        self.seen.announced = bool(self.group.show(expect="đã mở"))

    async def join(self, invites: Mapping[str, str]) -> None:
        self.clock.jump(self.times.day(0, 9), self.recorder)
        await asyncio.to_thread(join_all, self.players, invites, self.units)

    async def first_week(self, scheduler: RunningScheduler) -> None:
        await self.scene(
            AMBIGUOUS,
            f"gõ «{AMBIGUOUS_TYPED}», số có hai cách hiểu, và chọn cách đọc",
            self.times.day(2, 9),
            ambiguous,
        )
        self.recorder.heading("Bảng tiến độ hằng ngày trong nhóm")
        self.clock.jump(self.times.day(3, 8), self.recorder)
        await scheduler.deliver()
        self.group.show(expect="1/5")
        self.recorder.heading("Tin tổng hợp hằng ngày riêng cho cụm trưởng và cụm phó")
        for officer in (AMBIGUOUS, INVALID):
            said = _said(self.players[officer.unit_code].catch_up())
            if "Tin tổng hợp hằng ngày" in said and self.units[AMBIGUOUS.unit_code] in said:
                self.seen.digests.add(officer.unit_code)
        await self.scene(
            INVALID, f"gõ «{INVALID_TYPED}» rồi sửa lại", self.times.day(3, 10), invalid
        )
        self.recorder.heading("Có đơn vị nộp: bảng tiến độ được sửa tại chỗ, không đăng tin mới")
        self.clock.jump(self.times.day(3, 10) + timedelta(minutes=30), self.recorder)
        await scheduler.deliver()
        self.seen.board_edits = self.group.show_edits()
        await self.scene(RESUMED, "dừng giữa chừng bằng /cancel", self.times.day(4, 14), cancelled)

    async def reminders(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Đến lịch nhắc: chỉ những đơn vị chưa nộp được nhắc")
        self.clock.jump(self.times.first_reminder, self.recorder)
        await scheduler.deliver()
        self.group.show(expect="chưa nộp")
        for code, player in self.players.items():
            said = _said(player.catch_up())
            if f"{self.units[code]} chưa nộp" in said:  # the chairs' digest is no reminder
                self.seen.reminded.add(code)
        quiet = [self.units[o.unit_code] for o in OFFICERS if o.unit_code not in self.seen.reminded]
        self.recorder.note(f"Không nhắc các đơn vị đã nộp: {', '.join(quiet)}.")

    async def after_restart(self) -> None:
        await self.scene(
            RESUMED,
            "tiếp tục bản nháp sau khi bot khởi động lại",
            self.times.first_reminder + timedelta(hours=16),
            resumed,
        )
        await self.scene(
            REVISED,
            "nộp, rồi sửa và nộp lần 2",
            self.times.first_reminder + timedelta(days=1, hours=17),
            revised,
        )

    async def deadline(self, scheduler: RunningScheduler) -> None:
        self.recorder.heading("Hết hạn nộp: nhắc đơn vị chưa nộp, báo cụm trưởng, gửi tổng hợp")
        self.clock.jump(self.times.deadline, self.recorder)
        await scheduler.deliver()
        for code, player in self.players.items():
            for message in player.catch_up():
                text = str(message.get("text", ""))
                if "quá hạn" in text and code == EXPLAINED.unit_code:
                    self.seen.overdue.add(code)
                elif "quá hạn" in text:
                    self.seen.chair_list = code == AMBIGUOUS.unit_code
        posted = self.group.show(expect="Biểu đồ")
        for message in posted:
            if document := message.get("document"):
                self.seen.summary_files["document"] = self._upload(document["file_name"])
            elif message.get("photo"):
                self.seen.summary_files["photo"] = self._upload(".png")

    def _upload(self, name_end: str) -> bytes:
        for name, content in reversed(self.fake.uploaded_files(GROUP_CHAT_ID)):
            if name.endswith(name_end):
                return content
        raise DemoFailure(f"Không thấy tệp {name_end} trong nhóm.")

    async def late(self) -> None:
        await self.scene(
            EXPLAINED,
            "nộp muộn sau hạn, xác nhận một số bất thường và giải trình",
            self.times.deadline + timedelta(hours=16, minutes=30),
            explained,
        )
        receipts = [
            m for m in self.fake.sent_messages(EXPLAINED.user.id) if "Đã nộp" in str(m.get("text"))
        ]
        self.seen.late_receipt = bool(receipts) and "muộn" in str(receipts[-1].get("text"))
