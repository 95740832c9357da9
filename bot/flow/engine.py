"""A focal point's submission, step by step; every state lives in the database."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from bot.domain import figures
from bot.domain.callbacks import Callback, encode
from bot.domain.checks import unusual
from bot.domain.formatting import format_moment
from bot.domain.i18n import gettext_for, normalize_locale
from bot.domain.periods import Phase, phase
from bot.domain.replies import Button, Reply, split_text
from bot.flow.actions import Action
from bot.flow.setup_cache import Asked, asked_of
from bot.flow.states import Pending
from bot.flow.texts import (
    Question,
    Standing,
    answer_line,
    question_text,
    returned_notice,
    shown,
    spec_of,
    standing_text,
)
from bot.storage import submissions as store
from bot.storage.locks import phase_with, unit_phase
from bot.storage.models import (
    Answer,
    Cluster,
    Indicator,
    Membership,
    Period,
    Person,
    Submission,
    Unit,
)
from bot.storage.outbox import enqueue
from bot.storage.people import units_of

__all__ = ["EXPLANATION_MAX_LENGTH", "Conversation", "Document"]

EXPLANATION_MAX_LENGTH = 500
FILE_MAX_BYTES = 20 * 1024 * 1024
FILE_EXTENSIONS = (".pdf", ".docx", ".xlsx")


@dataclass(frozen=True)
class Document:
    """A file a person sent."""

    file_id: str
    file_name: str | None
    file_size: int | None
    mime_type: str | None


@dataclass
class _Draft:
    """A draft with everything needed to ask its next question."""

    submission: Submission
    period: Period
    asked: Asked  # shared with other steps: never changed
    answers: dict[int, Answer]
    returned_id: int | None  # the unit's newest submitted revision, if a chair returned it

    @property
    def unit(self) -> Unit:
        return self.asked.unit

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.asked.indicators

    @property
    def targets(self) -> dict[int, str]:
        return self.asked.targets

    @property
    def last(self) -> dict[str, str]:
        return self.asked.last

    def indicator(self, indicator_id: int | None) -> Indicator | None:
        number = self.asked.positions.get(indicator_id or 0)
        return None if number is None else self.indicators[number - 1]

    def number_of(self, indicator: Indicator) -> int:
        return self.asked.positions[indicator.id or 0]

    def first_unanswered(self) -> Indicator | None:
        return next((i for i in self.indicators if i.id not in self.answers), None)

    def current(self) -> Indicator | None:
        """The question being asked: a pending one, an edited one, or the first unanswered."""
        pending = self.submission.pending or {}
        chosen = pending.get("indicator_id") or self.submission.cursor_indicator_id
        return self.indicator(chosen) or self.first_unanswered()


class Conversation:
    """One person's submission steps; every method returns the replies to send."""

    def __init__(
        self,
        session: Session,
        *,
        person: Person,
        locale: str,
        now: datetime,
        outlier_factor: Decimal = Decimal(3),
    ) -> None:
        self.session = session
        self.person = person
        self.locale = locale
        self.now = now
        self.outlier_factor = outlier_factor
        self._ = gettext_for(locale)
        # Read at most once per step: several checks of one step ask the same.
        self._units: list[tuple[Membership, Unit]] | None = None
        self._phases: dict[tuple[int, int], Phase] = {}

    # -- starting ---------------------------------------------------------------------------

    def begin(self) -> list[Reply]:
        """`/submit`: pick the unit, then the period, then continue or start."""
        units = self._member_units()
        if not units:
            return [
                Reply(
                    self._(
                        "Bạn chưa thuộc đơn vị nào nên chưa thể nộp số liệu. Hãy xin quản trị viên "
                        "hoặc cụm trưởng một đường dẫn mời cho đơn vị của bạn."
                    )
                )
            ]
        if len(units) == 1:
            return self.choose_unit(units[0][1].id or 0)
        buttons = tuple((Button(unit.name, encode(Action.UNIT, unit.id)),) for _m, unit in units)
        return [Reply(self._("Bạn nộp số liệu cho đơn vị nào?"), buttons)]

    def choose_unit(self, unit_id: int) -> list[Reply]:
        """The unit is known: pick among its periods that accept figures."""
        unit = self._member_unit(unit_id)
        if unit is None:
            return [self._not_member()]
        accepting, locked = [], []
        for period, cluster, lock in store.periods_of_unit(self.session, unit_id):
            stage = self._known_phase(period, unit_id, lock)
            if stage in (Phase.OPEN, Phase.LATE):
                accepting.append(period)
            elif stage is Phase.LOCKED:
                locked.append((period, cluster))
        if not accepting:
            if locked:
                return [self._locked_reply(*locked[-1])]
            return [
                Reply(
                    self._("Hiện chưa có kỳ báo cáo nào đang mở cho {unit}.").format(
                        unit=unit.name
                    ),
                    main_keyboard=True,
                )
            ]
        if len(accepting) == 1:
            return self.choose_period(unit_id, accepting[0].id or 0)
        buttons = tuple((Button(p.name, encode(Action.PERIOD, unit_id, p.id)),) for p in accepting)
        return [Reply(self._("Bạn nộp số liệu cho kỳ báo cáo nào?"), buttons)]

    def choose_period(self, unit_id: int, period_id: int) -> list[Reply]:
        """Open the unit's draft for the period: continue, start, or revise the last revision."""
        unit = self._member_unit(unit_id)
        period = self.session.get(Period, period_id)
        if unit is None or period is None:
            return [self._not_member() if unit is None else self._stale()]
        if (refusal := self._refuse_if_closed(period, unit_id)) is not None:
            return [refusal]
        revisions, history = store.revisions_with_history(
            self.session, period_id=period_id, unit_id=unit_id
        )
        submission = next((s for s in revisions if s.status == "draft"), None)
        revising = _latest_submitted(revisions)
        returned = revising if revising is not None and revising.returned_at else None
        returned_id = returned.id if returned else None
        loaded = (
            self._load(submission, period, history=history, returned_id=returned_id)
            if submission is not None
            else None
        )
        if loaded is not None and loaded.answers:
            self._activate(loaded.submission)
            return [self._offer_resume(loaded, returned)]
        if submission is None:
            submission, answers = store.start_draft_with_answers(
                self.session,
                period_id=period_id,
                unit_id=unit_id,
                person=self.person,
                revisions=revisions,
            )
            loaded = self._load(
                submission, period, history=history, returned_id=returned_id, answers=answers
            )
        if loaded is None:
            return [self._stale()]
        self._activate(submission)
        if revising is None:
            return self._next(loaded)
        intro = self._(
            "Đơn vị đã nộp lần {n}. Dưới đây là số liệu đã nộp: sửa câu cần thay "
            "đổi rồi bấm «Xác nhận nộp» để nộp lần {next}."
        ).format(n=revising.revision, next=submission.revision)
        if returned is not None:
            intro = f"{self._returned_notice(returned, period)}\n\n{intro}"
        # One message: the intro sits right above the figures it speaks of.
        return self._review(loaded, intro=intro)

    def _returned_notice(self, returned: Submission, period: Period) -> str:
        return returned_notice(returned, period.timezone, self.locale)

    def _offer_resume(self, draft: _Draft, returned: Submission | None = None) -> Reply:
        current = draft.current()
        answered = len(draft.answers)
        where = (
            self._("tiếp tục từ câu {n}").format(n=draft.number_of(current))
            if current
            else self._("xem lại và xác nhận")
        )
        text = self._("Bạn có bản nháp cho {period} (đã trả lời {done}/{total} câu).").format(
            period=draft.period.name, done=answered, total=len(draft.indicators)
        )
        if returned is not None:
            text = f"{self._returned_notice(returned, draft.period)}\n\n{text}"
        draft_id = draft.submission.id
        buttons = (
            (Button("▶️ " + where.capitalize(), encode(Action.CONTINUE, draft_id)),),
            (
                Button(
                    self._("🔄 Làm lại từ đầu"),
                    encode(Action.RESTART, draft_id, _fingerprint(draft)),
                ),
            ),
        )
        return Reply(text, buttons)

    # -- answering --------------------------------------------------------------------------

    def answer_text(self, text: str) -> list[Reply]:
        """A typed message while a draft is open: an answer, a correction or an explanation."""
        loaded = self._active()
        if isinstance(loaded, list):
            return loaded
        draft = loaded
        pending = draft.submission.pending or {}
        if pending.get("step") == Pending.EXPLAIN:
            return self._explain(draft, pending, text)
        indicator = draft.current()
        if indicator is None:
            return [
                Reply(
                    self._(
                        "Bạn đã trả lời đủ các câu. Hãy xem lại rồi bấm «Xác nhận nộp», "
                        "hoặc chọn số câu cần sửa."
                    )
                ),
                *self._review(draft),
            ]
        result = figures.parse(text, spec_of(indicator), locale=self.locale)
        if isinstance(result, figures.Invalid):
            return [self._question(draft, indicator, notice=result.message)]
        if isinstance(result, figures.Ambiguous):
            return [self._ask_ambiguous(draft, indicator, text, result)]
        return self._accept(draft, indicator, result.value, raw=text)

    def answer_document(self, document: Document) -> list[Reply]:
        """A file sent while a draft is open: the answer to a file question, if it fits."""
        loaded = self._active()
        if isinstance(loaded, list):
            return loaded
        draft = loaded
        indicator = draft.current()
        if indicator is None or indicator.kind != "file":
            message = self._("Câu hỏi hiện tại không cần tệp đính kèm; vui lòng trả lời bằng chữ.")
            if indicator is None:
                return [Reply(message), *self._review(draft)]
            return [self._question(draft, indicator, notice=message)]
        name = (document.file_name or "").lower()
        if not name.endswith(FILE_EXTENSIONS):
            notice = self._(
                "Tệp «{name}» không phải PDF, DOCX hay XLSX. Vui lòng gửi lại đúng loại tệp."
            ).format(name=document.file_name or "?")
            return [self._question(draft, indicator, notice=notice)]
        if (document.file_size or 0) > FILE_MAX_BYTES:
            notice = self._("Tệp quá lớn (tối đa 20 MB). Vui lòng nén hoặc tách tệp rồi gửi lại.")
            return [self._question(draft, indicator, notice=notice)]
        self._save(
            draft,
            indicator,
            raw_text=document.file_name,
            value=document.file_name,
            file_id=document.file_id,
            file_name=document.file_name,
            file_size=document.file_size,
        )
        return self._advance(draft)

    def press(self, callback: Callback) -> list[Reply]:
        """A button of a submission message."""
        if callback.action == Action.UNIT:
            return self.choose_unit(callback.int_arg(0) or 0)
        if callback.action == Action.PERIOD:
            return self.choose_period(callback.int_arg(0) or 0, callback.int_arg(1) or 0)
        loaded = self._draft_for_button(callback.int_arg(0))
        if isinstance(loaded, list):
            return loaded
        handlers: dict[str, Callable[[_Draft, Callback], list[Reply]]] = {
            Action.CONTINUE: self._continue,
            Action.RESTART: self._restart,
            Action.ANSWER: self._button_answer,
            Action.BACK: self._back,
            Action.READING: self._pick_reading,
            Action.KEEP_UNUSUAL: self._confirm_unusual,
            Action.RETYPE_UNUSUAL: self._correct_unusual,
            Action.EDIT: self._edit,
            Action.SUBMIT: self._submit,
        }
        handler = handlers.get(callback.action)
        return (
            handler(loaded, Callback(callback.action, callback.args[1:]))
            if handler
            else [self._stale()]
        )

    def _continue(self, draft: _Draft, _args: Callback) -> list[Reply]:
        return self._next(draft)

    def _restart(self, draft: _Draft, args: Callback) -> list[Reply]:
        if not _shows_current(draft, args):
            return self._moved_on(draft)
        store.delete_answers(self.session, draft.submission.id or 0)
        draft.submission.cursor_indicator_id, draft.submission.pending = None, None
        self.session.add(draft.submission)
        draft.answers = {}
        return self._next(draft)

    def _button_answer(self, draft: _Draft, args: Callback) -> list[Reply]:
        indicator = self._expected(draft, args)
        if indicator is None:
            return self._moved_on(draft)
        choice = args.args[1] if len(args.args) > 1 else ""
        if choice == "s" and not indicator.required:
            self._save(draft, indicator, skipped=True)
            return self._advance(draft)
        if indicator.kind == "yesno" and choice in ("y", "n"):
            return self._accept(draft, indicator, choice == "y", raw=choice)
        if indicator.kind == "choice" and choice.isdigit() and int(choice) < len(indicator.options):
            option = indicator.options[int(choice)]
            return self._accept(draft, indicator, option, raw=option)
        return [self._stale()]

    def _back(self, draft: _Draft, args: Callback) -> list[Reply]:
        indicator = self._expected(draft, args)
        if indicator is None:
            return self._moved_on(draft)
        number = draft.number_of(indicator)
        previous = draft.indicators[max(0, number - 2)]
        draft.submission.cursor_indicator_id, draft.submission.pending = previous.id, None
        self.session.add(draft.submission)
        return [self._question(draft, previous)]

    def _edit(self, draft: _Draft, args: Callback) -> list[Reply]:
        indicator = draft.indicator(args.int_arg(0))
        if indicator is None:
            return [self._stale()]
        draft.submission.cursor_indicator_id, draft.submission.pending = indicator.id, None
        self.session.add(draft.submission)
        return [self._question(draft, indicator)]

    # -- checks on values -------------------------------------------------------------------

    def _accept(
        self, draft: _Draft, indicator: Indicator, value: figures.Value, *, raw: str
    ) -> list[Reply]:
        """Save a valid value; an unusual figure is saved too, then confirmed."""
        number = figures.as_number(value)
        odd = self._unusual(draft, indicator, number)
        self._save(
            draft,
            indicator,
            raw_text=raw,
            value=figures.to_canonical(value),
            value_number=None if number is None else float(number),
            flags=["unusual"] if odd else [],
        )
        if odd is None:
            return self._advance(draft)
        draft.submission.pending = {"step": Pending.CONFIRM, "indicator_id": indicator.id}
        self.session.add(draft.submission)
        return [self._ask_confirm(draft, indicator, value, odd)]

    def _unusual(self, draft: _Draft, indicator: Indicator, number: Decimal | None) -> Any:
        if number is None or indicator.kind not in ("number", "percent"):
            return None
        target = draft.targets.get(indicator.id or 0)
        last = draft.last.get(indicator.code)
        return unusual(
            number,
            target=_decimal(target),
            last=_decimal(last),
            better=indicator.better,
            factor=self.outlier_factor,
        )

    def _ask_confirm(
        self, draft: _Draft, indicator: Indicator, value: figures.Value, odd: Any
    ) -> Reply:
        spec = spec_of(indicator)
        compared = shown(figures.to_canonical(odd.reference_value), indicator, self.locale)
        typed = figures.format_value(value, spec, locale=self.locale)
        if odd.reference == "target":
            text = self._(
                "⚠️ {value} chênh lệch nhiều so với chỉ tiêu giao ({reference}). "
                "Số này có đúng không?"
            )
        else:
            text = self._(
                "⚠️ {value} chênh lệch nhiều so với kỳ trước ({reference}). Số này có đúng không?"
            )
        buttons = (
            (
                Button(
                    self._("✅ Đúng, giữ số này"),
                    encode(Action.KEEP_UNUSUAL, draft.submission.id, indicator.id),
                ),
            ),
            (
                Button(
                    self._("✏️ Nhập lại"),
                    encode(Action.RETYPE_UNUSUAL, draft.submission.id, indicator.id),
                ),
            ),
        )
        return Reply(text.format(value=typed, reference=compared), buttons)

    def _confirm_unusual(self, draft: _Draft, args: Callback) -> list[Reply]:
        pending = draft.submission.pending or {}
        if not _confirming(pending, args):
            return self._moved_on(draft)
        draft.submission.pending = {**pending, "step": Pending.EXPLAIN}
        self.session.add(draft.submission)
        return [
            Reply(
                self._(
                    "Vui lòng giải trình ngắn gọn lý do chênh lệch (tối đa {limit} ký tự)."
                ).format(limit=EXPLANATION_MAX_LENGTH)
            )
        ]

    def _correct_unusual(self, draft: _Draft, args: Callback) -> list[Reply]:
        pending = draft.submission.pending or {}
        if not _confirming(pending, args):
            return self._moved_on(draft)
        indicator = draft.indicator(pending.get("indicator_id"))
        draft.submission.pending = None
        draft.submission.cursor_indicator_id = indicator.id if indicator else None
        self.session.add(draft.submission)
        return self._next(draft)

    def _explain(self, draft: _Draft, pending: dict[str, Any], text: str) -> list[Reply]:
        explanation = text.strip()
        if not explanation or len(explanation) > EXPLANATION_MAX_LENGTH:
            return [
                Reply(
                    self._(
                        "Giải trình cần từ 1 đến {limit} ký tự (bạn đã gõ {count}). "
                        "Vui lòng gõ lại ngắn gọn hơn."
                    ).format(limit=EXPLANATION_MAX_LENGTH, count=len(explanation))
                )
            ]
        answer = draft.answers.get(pending.get("indicator_id") or 0)
        if answer is not None:
            answer.explanation = explanation
            self.session.add(answer)
        return self._advance(draft)

    def _ask_ambiguous(
        self, draft: _Draft, indicator: Indicator, text: str, result: figures.Ambiguous
    ) -> Reply:
        spec = spec_of(indicator)
        draft.submission.pending = {
            "step": Pending.AMBIGUOUS,
            "indicator_id": indicator.id,
            "raw": text,
            "readings": [figures.to_canonical(v) for v in result.readings],
        }
        self.session.add(draft.submission)
        buttons = tuple(
            (
                Button(
                    figures.format_clear(value, spec, locale=self.locale),
                    encode(Action.READING, draft.submission.id, indicator.id, index),
                ),
            )
            for index, value in enumerate(result.readings)
        )
        return Reply(result.message, buttons)

    def _pick_reading(self, draft: _Draft, args: Callback) -> list[Reply]:
        pending = draft.submission.pending or {}
        readings = pending.get("readings") or []
        index = args.int_arg(1)
        indicator = draft.indicator(pending.get("indicator_id"))
        if (
            pending.get("step") != Pending.AMBIGUOUS
            or indicator is None
            or indicator.id != args.int_arg(0)
            or index is None
            or index >= len(readings)
        ):
            return self._moved_on(draft)
        value = figures.from_canonical(readings[index], spec_of(indicator))
        draft.submission.pending = None
        return self._accept(draft, indicator, value, raw=str(pending.get("raw", "")))

    # -- moving on --------------------------------------------------------------------------

    def _save(self, draft: _Draft, indicator: Indicator, **values: Any) -> None:
        """Save one answer (flushed now) and keep the draft's answers current."""
        answer = store.save_answer(
            self.session,
            draft=draft.submission,
            indicator_id=indicator.id or 0,
            person=self.person,
            answers=draft.answers,
            **values,
        )
        draft.answers[answer.indicator_id] = answer

    def _advance(self, draft: _Draft) -> list[Reply]:
        """After an answer: clear the cursor and pending step, then the next question."""
        submission = draft.submission
        # Assigned only when set: an unchanged draft costs the commit no work.
        if submission.cursor_indicator_id is not None or submission.pending is not None:
            submission.cursor_indicator_id, submission.pending = None, None
            self.session.add(submission)
        return self._next(draft)

    def _next(self, draft: _Draft) -> list[Reply]:
        pending = draft.submission.pending or {}
        indicator = draft.current()
        if pending.get("step") == Pending.EXPLAIN:
            return [
                Reply(
                    self._(
                        "Vui lòng giải trình ngắn gọn lý do chênh lệch (tối đa {limit} ký tự)."
                    ).format(limit=EXPLANATION_MAX_LENGTH)
                )
            ]
        if pending.get("step") in (Pending.CONFIRM, Pending.AMBIGUOUS) and indicator is not None:
            return [self._resume_pending(draft, indicator, pending)]
        if indicator is None:
            return self._review(draft)
        return [self._question(draft, indicator)]

    def _resume_pending(
        self, draft: _Draft, indicator: Indicator, pending: dict[str, Any]
    ) -> Reply:
        if pending.get("step") == Pending.AMBIGUOUS:
            result = figures.parse(
                str(pending.get("raw", "")), spec_of(indicator), locale=self.locale
            )
            if isinstance(result, figures.Ambiguous):
                return self._ask_ambiguous(draft, indicator, str(pending.get("raw")), result)
        answer = draft.answers.get(indicator.id or 0)
        number = _decimal(answer.value if answer else None)
        odd = self._unusual(draft, indicator, number)
        if answer is not None and answer.value is not None and odd is not None:
            value = figures.from_canonical(answer.value, spec_of(indicator))
            return self._ask_confirm(draft, indicator, value, odd)
        draft.submission.pending = None
        self.session.add(draft.submission)
        return self._question(draft, indicator)

    def _question(self, draft: _Draft, indicator: Indicator, *, notice: str | None = None) -> Reply:
        question = Question(
            number=draft.number_of(indicator),
            total=len(draft.indicators),
            indicator=indicator,
            target=draft.targets.get(indicator.id or 0),
            last=draft.last.get(indicator.code),
            current=draft.answers.get(indicator.id or 0),
        )
        text = question_text(question, self.locale)
        if notice:
            text = f"{notice}\n\n{text}"
        return Reply(text, self._question_buttons(draft, indicator))

    def _question_buttons(
        self, draft: _Draft, indicator: Indicator
    ) -> tuple[tuple[Button, ...], ...]:
        draft_id, indicator_id = draft.submission.id, indicator.id
        rows: list[tuple[Button, ...]] = []
        if indicator.kind == "yesno":
            rows.append(
                (
                    Button(self._("Có"), encode(Action.ANSWER, draft_id, indicator_id, "y")),
                    Button(self._("Không"), encode(Action.ANSWER, draft_id, indicator_id, "n")),
                )
            )
        for index, option in enumerate(indicator.options if indicator.kind == "choice" else []):
            rows.append(
                (
                    Button(
                        f"{index + 1}. {option}",
                        encode(Action.ANSWER, draft_id, indicator_id, index),
                    ),
                )
            )
        extra = []
        if draft.number_of(indicator) > 1:
            extra.append(Button(self._("⬅️ Quay lại"), encode(Action.BACK, draft_id, indicator_id)))
        if not indicator.required:
            extra.append(
                Button(self._("Bỏ qua ➡️"), encode(Action.ANSWER, draft_id, indicator_id, "s"))
            )
        if extra:
            rows.append(tuple(extra))
        return tuple(rows)

    def _review(self, draft: _Draft, *, intro: str | None = None) -> list[Reply]:
        """All answers, split to fit Telegram, with edit buttons and «Xác nhận nộp»."""
        lines = [intro, ""] if intro else []
        lines += [
            self._("📋 Xem lại số liệu – {unit}\n{period}").format(
                unit=draft.unit.name, period=draft.period.name
            ),
            "",
        ]
        for number, indicator in enumerate(draft.indicators, start=1):
            answer = draft.answers.get(indicator.id or 0)
            value = (
                answer_line(answer, indicator, self.locale) if answer else self._("(chưa trả lời)")
            )
            lines.append(f"{number}. {indicator.name}: {value}")
        lines += ["", self._("Bấm số câu để sửa, hoặc «Xác nhận nộp» để nộp.")]
        pieces = split_text("\n".join(lines))
        draft_id = draft.submission.id
        edits = [
            Button(f"✏️ {n}", encode(Action.EDIT, draft_id, indicator.id))
            for n, indicator in enumerate(draft.indicators, start=1)
        ]
        rows = [tuple(edits[i : i + 5]) for i in range(0, len(edits), 5)]
        confirm = encode(Action.SUBMIT, draft_id, _fingerprint(draft))
        rows.append((Button(self._("✅ Xác nhận nộp"), confirm),))
        return [Reply(p) for p in pieces[:-1]] + [Reply(pieces[-1], tuple(rows))]

    def _submit(self, draft: _Draft, args: Callback) -> list[Reply]:
        missing = [i for i in draft.indicators if i.id not in draft.answers]
        if missing or draft.submission.pending:
            return [Reply(self._("Còn câu chưa trả lời xong, chưa thể nộp.")), *self._next(draft)]
        if not _shows_current(draft, args):
            notice = self._(
                "Bản xem lại này đã cũ: số liệu đã thay đổi sau đó. Đây là bản mới nhất, "
                "hãy xem lại rồi bấm «Xác nhận nộp»."
            )
            return self._review(draft, intro=notice)
        late = self.now >= draft.period.deadline_at
        # Rare (a chair returned the previous revision): the row itself only then.
        returned = self.session.get(Submission, draft.returned_id) if draft.returned_id else None
        if not store.submit_draft(
            self.session,
            draft=draft.submission,
            person=self.person,
            unit=draft.unit,
            now=self.now,
            late=late,
        ):
            return [self._already_submitted(draft.submission)]
        self.person.active_submission_id = None
        self.session.add(self.person)
        if returned is not None:
            self._tell_returner(draft, returned, late)
        return [self._receipt(draft, late)]

    def _tell_returner(self, draft: _Draft, returned: Submission, late: bool) -> None:
        """Queue a message to the chair's person who returned the previous revision."""
        returner = (
            self.session.get(Person, returned.returned_by_person_id)
            if returned.returned_by_person_id
            else None
        )
        if returner is None:
            return
        locale = normalize_locale(returner.language)
        _ = gettext_for(locale)
        text = _(
            "📬 {unit} đã nộp lại số liệu kỳ «{period}» (lần {n}, lúc {at}) sau khi bạn trả lại "
            "lần {returned}."
        ).format(
            unit=draft.unit.name,
            period=draft.period.name,
            n=draft.submission.revision,
            at=format_moment(self.now, draft.period.timezone, locale),
            returned=returned.revision,
        )
        if late:
            text += " " + _("(nộp muộn)")
        enqueue(
            self.session,
            key=f"resubmitted:{draft.submission.id}",
            chat_id=returner.telegram_id,
            payload={"text": text},
        )

    def _receipt(self, draft: _Draft, late: bool) -> Reply:
        _ = self._
        lines = [
            _("✅ Đã nộp số liệu"),
            _("Đơn vị: {unit}").format(unit=draft.unit.name),
            _("Kỳ báo cáo: {period}").format(period=draft.period.name),
            _("Thời gian: {at}").format(
                at=format_moment(self.now, draft.period.timezone, self.locale)
            ),
            _("Lần nộp: {n}").format(n=draft.submission.revision),
        ]
        if late:
            lines.append(
                _("⏰ Nộp muộn (hạn nộp: {deadline})").format(
                    deadline=format_moment(
                        draft.period.deadline_at, draft.period.timezone, self.locale
                    )
                )
            )
        lines.append(_("Cảm ơn bạn! Nếu cần sửa, gõ /submit để nộp lần tiếp theo."))
        return Reply("\n".join(lines), main_keyboard=True)

    # -- around it --------------------------------------------------------------------------

    def cancel(self) -> list[Reply]:
        """`/cancel`: stop asking, keep the draft, say how to resume."""
        submission = self._active_submission()
        self.person.active_submission_id = None
        self.session.add(self.person)
        if submission is None:
            return [
                Reply(
                    self._("Không có gì đang làm dở. Gõ /submit khi cần nộp số liệu."),
                    main_keyboard=True,
                )
            ]
        if (submission.pending or {}).get("step") == Pending.AMBIGUOUS:
            submission.pending = None
            self.session.add(submission)
        done = len(store.answers_of(self.session, submission.id or 0))
        return [
            Reply(
                self._(
                    "Đã tạm dừng. Bản nháp được giữ nguyên ({done} câu đã trả lời). "
                    "Khi sẵn sàng, gõ /submit hoặc bấm «Nộp số liệu» để tiếp tục."
                ).format(done=done),
                main_keyboard=True,
            )
        ]

    def status(self) -> list[Reply]:
        """`/status`: for each unit and period that accepts figures, where it stands."""
        units = self._member_units()
        if not units:
            return [Reply(self._("Bạn chưa thuộc đơn vị nào. Hãy dùng đường dẫn mời để tham gia."))]
        lines = [standing_text(s, self.now, self.locale) for s in self._standings()]
        if not lines:
            return [
                Reply(
                    self._("Hiện không có kỳ báo cáo nào đang mở cho đơn vị của bạn."),
                    main_keyboard=True,
                )
            ]
        return [Reply(piece, main_keyboard=True) for piece in split_text("\n\n".join(lines))]

    def welcome(self, first_name: str) -> list[Reply]:
        """`/start` by a member: their units, where each stands, and what to do next."""
        _ = self._
        names = ", ".join(unit.name for _m, unit in self._member_units())
        standings = self._standings()
        lines = [
            _("Chào {name}! Bạn là thành viên của: {units}.").format(name=first_name, units=names)
        ]
        lines += [standing_text(s, self.now, self.locale) for s in standings]
        if not standings:
            lines.append(
                _("Hiện chưa có kỳ báo cáo nào đang mở cho đơn vị của bạn; bot sẽ nhắc khi kỳ mở.")
            )
        elif any(s.owes and s.stage is not Phase.LOCKED for s in standings):
            lines.append(_("👉 Việc tiếp theo: bấm «Nộp số liệu» hoặc gõ /submit để nộp số liệu."))
        else:
            lines.append(_("✅ Đơn vị đã nộp. Nếu cần sửa, gõ /submit để nộp lần tiếp theo."))
        lines.append(_("Gõ /status để xem tình trạng, /help để xem hướng dẫn."))
        return [Reply(piece, main_keyboard=True) for piece in split_text("\n\n".join(lines))]

    def is_member(self) -> bool:
        """Whether the person belongs to any unit now."""
        return bool(self._member_units())

    def _standings(self) -> list[Standing]:
        """Each unit and period that accepts figures (or that an admin locked for the unit)."""
        standings = []
        for _membership, unit in self._member_units():
            for period, _cluster, lock in store.periods_of_unit(self.session, unit.id or 0):
                stage = self._known_phase(period, unit.id or 0, lock)
                locked_early = stage is Phase.LOCKED and phase(period, self.now) in (
                    Phase.OPEN,
                    Phase.LATE,
                )
                if stage in (Phase.OPEN, Phase.LATE) or locked_early:
                    standings.append(self._standing(unit, period, stage))
        return standings

    def _standing(self, unit: Unit, period: Period, stage: Phase) -> Standing:
        revisions = store.revisions_of(self.session, period_id=period.id or 0, unit_id=unit.id or 0)
        draft = next((s for s in revisions if s.status == "draft"), None)
        drafted = None if draft is None else len(store.answers_of(self.session, draft.id or 0))
        return Standing(unit.name, period, stage, _latest_submitted(revisions), drafted)

    # -- loading and guarding ---------------------------------------------------------------

    def _load(
        self,
        submission: Submission,
        period: Period,
        *,
        history: int,
        returned_id: int | None,
        answers: dict[int, Answer] | None = None,
    ) -> _Draft | None:
        """The draft with its questions (cached while the set-up is unchanged) and answers
        (read here unless given, as read in this transaction)."""
        asked = asked_of(self.session, period=period, unit_id=submission.unit_id, history=history)
        if asked is None:
            return None
        if answers is None:
            answers = store.answers_of(self.session, submission.id or 0)
        return _Draft(
            submission=submission,
            period=period,
            asked=asked,
            answers={k: v for k, v in answers.items() if k in asked.positions},
            returned_id=returned_id,
        )

    def _activate(self, submission: Submission) -> None:
        if self.person.active_submission_id != submission.id:
            self.person.active_submission_id = submission.id
            self.session.add(self.person)

    def _active_submission(self) -> Submission | None:
        if self.person.active_submission_id is None:
            return None
        submission = self.session.get(Submission, self.person.active_submission_id)
        return submission if submission is not None and submission.status == "draft" else None

    def _active(self) -> _Draft | list[Reply]:
        """The draft being answered, or the replies explaining why there is none."""
        state = (
            store.draft_state(
                self.session,
                submission_id=self.person.active_submission_id,
                person_id=self.person.id or 0,
            )
            if self.person.active_submission_id is not None
            else None
        )
        if state is None or state.submission.status != "draft":
            return [
                Reply(
                    self._(
                        "Bạn chưa mở bản nộp số liệu nào. Gõ /submit hoặc bấm «Nộp số liệu» "
                        "để bắt đầu; /help để xem hướng dẫn."
                    ),
                    main_keyboard=True,
                )
            ]
        if not state.member:
            return [self._not_member()]
        return self._writable(state)

    def _draft_for_button(self, submission_id: int | None) -> _Draft | list[Reply]:
        state = (
            store.draft_state(
                self.session, submission_id=submission_id, person_id=self.person.id or 0
            )
            if submission_id
            else None
        )
        if state is None:
            return [self._stale()]
        if state.submission.status != "draft":
            return [self._already_submitted(state.submission)]
        if not state.member:
            return [self._not_member()]
        self._activate(state.submission)
        return self._writable(state)

    def _writable(self, state: store.DraftState) -> _Draft | list[Reply]:
        self._known_phase(state.period, state.submission.unit_id, state.lock)
        refusal = self._refuse_if_closed(state.period, state.submission.unit_id)
        if refusal is not None:
            return [refusal]
        draft = self._load(
            state.submission,
            state.period,
            history=state.history,
            returned_id=state.returned_id,
            answers=state.answers,
        )
        return [self._stale()] if draft is None else draft

    def _phase(self, period: Period, unit_id: int) -> Phase:
        """The period's phase for the unit, an admin's lock or unlock of the unit included."""
        key = (period.id or 0, unit_id)
        if key not in self._phases:
            self._phases[key] = unit_phase(
                self.session, period=period, unit_id=unit_id, now=self.now
            )
        return self._phases[key]

    def _known_phase(self, period: Period, unit_id: int, lock: str | None) -> Phase:
        """`_phase`, from the lock exception read with other rows: no query of its own."""
        key = (period.id or 0, unit_id)
        return self._phases.setdefault(key, phase_with(period, lock, self.now))

    def _refuse_if_closed(self, period: Period, unit_id: int) -> Reply | None:
        stage = self._phase(period, unit_id)
        if stage is Phase.UPCOMING:
            return Reply(
                self._("Kỳ «{period}» chưa mở; kỳ mở lúc {opens}.").format(
                    period=period.name,
                    opens=format_moment(period.opens_at, period.timezone, self.locale),
                )
            )
        if stage is Phase.LOCKED:
            cluster = store.cluster_of_unit(self.session, unit_id)
            return self._locked_reply(period, cluster)
        return None

    def _locked_reply(self, period: Period, cluster: Cluster | None) -> Reply:
        chair = store.chair_unit(self.session, cluster.id or 0, period.year) if cluster else None
        contact = (
            self._("cụm trưởng ({chair})").format(chair=chair.name)
            if chair
            else self._("cụm trưởng")
        )
        return Reply(
            self._(
                "🔒 Kỳ «{period}» đã khoá sổ, không nhận thêm số liệu. Nếu cần bổ sung, "
                "vui lòng liên hệ {contact} hoặc Ban Thi đua – Khen thưởng tỉnh."
            ).format(period=period.name, contact=contact),
            main_keyboard=True,
        )

    def _member_units(self) -> list[tuple[Membership, Unit]]:
        if self._units is None:
            self._units = units_of(self.session, self.person)
        return self._units

    def _member_unit(self, unit_id: int) -> Unit | None:
        return next((u for _m, u in self._member_units() if u.id == unit_id), None)

    def _expected(self, draft: _Draft, args: Callback) -> Indicator | None:
        """The indicator a button is about, if it is still the question being asked."""
        current = draft.current()
        return current if current is not None and current.id == args.int_arg(0) else None

    def _moved_on(self, draft: _Draft) -> list[Reply]:
        return [
            Reply(self._("Nút này thuộc một câu hỏi trước. Đây là bước hiện tại:")),
            *self._next(draft),
        ]

    def _already_submitted(self, submission: Submission) -> Reply:
        return Reply(
            self._(
                "Bản số liệu này đã được nộp (lần {n}). Gõ /submit nếu cần sửa và nộp lại."
            ).format(n=submission.revision),
            main_keyboard=True,
        )

    def _not_member(self) -> Reply:
        return Reply(
            self._(
                "Bạn không phải thành viên của đơn vị này nên không thể nộp số liệu cho "
                "đơn vị. Nếu có nhầm lẫn, hãy liên hệ quản trị viên."
            )
        )

    def _stale(self) -> Reply:
        return Reply(
            self._("Nút này đã cũ. Gõ /submit để tiếp tục từ chỗ đang dừng."), main_keyboard=True
        )


def _fingerprint(draft: _Draft) -> str:
    """A short digest of the answers a message shows, so a button on an older view is known."""
    digest = hashlib.blake2b(digest_size=4)
    for indicator in draft.indicators:
        answer = draft.answers.get(indicator.id or 0)
        if answer is not None:
            shown = (indicator.id, answer.value, answer.skipped, answer.file_id, answer.explanation)
            digest.update(repr(shown).encode())
    return digest.hexdigest()


def _shows_current(draft: _Draft, button: Callback) -> bool:
    """Whether the button's message showed the draft's answers as they are now.

    Buttons from before fingerprints existed carry none and are taken as current.
    """
    shown = button.args[0] if button.args else None
    return shown is None or shown == _fingerprint(draft)


def _latest_submitted(revisions: list[Submission]) -> Submission | None:
    """The newest submitted revision among a unit's revisions for a period."""
    submitted = [s for s in revisions if s.status == "submitted"]
    return max(submitted, key=lambda s: s.revision) if submitted else None


def _confirming(pending: dict[str, Any], button: Callback) -> bool:
    """Whether the draft awaits a confirmation of the unusual figure this button is about."""
    confirmed = pending.get("indicator_id") == button.int_arg(0)
    return pending.get("step") == Pending.CONFIRM and confirmed


def _decimal(canonical: str | None) -> Decimal | None:
    if canonical is None or "/" in canonical:
        return None
    try:
        return Decimal(canonical)
    except ArithmeticError:
        return None
