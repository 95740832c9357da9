"""A unit's ballot in the private chat: the options as toggles, the review, the receipt (pure).

Button data: `vb:<step>:<vote>:<unit>:<mask>[:<option>]`; `mask` has bit i set when option i
is chosen, so the choice travels on the buttons and nothing is stored before «Bỏ phiếu».
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from babel.numbers import format_decimal

from bot.domain.callbacks import encode
from bot.domain.i18n import babel_locale, gettext_for
from bot.domain.replies import Button, Reply
from bot.domain.tally import Stance, stance_label

__all__ = [
    "BALLOT_PATTERN",
    "BallotView",
    "Option",
    "ballot_reply",
    "chosen",
    "markup",
    "receipt_reply",
    "review_reply",
    "stance_options",
]

PREFIX = "vb"
BALLOT_PATTERN = rf"^{PREFIX}:"
TOGGLE, REVIEW, CAST, AGAIN = "t", "r", "c", "e"


@dataclass(frozen=True)
class Option:
    """One option of the ballot: a unit (with its rank and total where scored) or a stance."""

    code: str
    name: str
    rank: int | None = None
    total: str | None = None  # a Decimal as text

    def label(self, locale: str) -> str:
        _ = gettext_for(locale)
        if self.rank is None or self.total is None:
            return self.name
        total = format_decimal(Decimal(self.total), format="#,##0.##", locale=babel_locale(locale))
        return _("{rank}. {unit} ({total} điểm)").format(
            rank=self.rank, unit=self.name, total=total
        )


@dataclass(frozen=True)
class BallotView:
    """What a ballot shows: the vote, the unit it is for, the options and the choice so far."""

    vote_id: int
    unit_id: int
    title: str
    conference: str
    unit_name: str
    secret: bool
    approval: bool
    seats: int
    options: tuple[Option, ...]
    mask: int = 0

    def data(self, step: str, mask: int | None = None, *extra: object) -> str:
        chosen_mask = self.mask if mask is None else mask
        return encode(PREFIX, step, self.vote_id, self.unit_id, chosen_mask, *extra)

    def with_mask(self, mask: int) -> BallotView:
        return replace(self, mask=mask)


def chosen(view: BallotView) -> list[Option]:
    """The options whose bits are set."""
    return [option for index, option in enumerate(view.options) if view.mask >> index & 1]


def stance_options(locale: str) -> tuple[Option, ...]:
    """An approval's three answers."""
    return tuple(Option(stance.value, stance_label(stance, locale)) for stance in Stance)


def ballot_reply(view: BallotView, locale: str, *, reminder: bool = False) -> Reply:
    """The ballot: what is asked, the rule of one ballot per unit, the options as buttons."""
    _ = gettext_for(locale)
    lines = [_("🔔 Nhắc: đơn vị của anh/chị chưa bỏ phiếu.")] if reminder else []
    kind = _("Phiếu bầu kín") if view.secret else _("Phiếu biểu quyết công khai")
    lines += [
        f"🗳 {kind}: «{view.title}»",
        view.conference,
        _("Đơn vị: {unit}").format(unit=view.unit_name),
        "",
    ]
    if view.approval:
        lines.append(_("Chọn một phương án, rồi xem lại và bấm «Bỏ phiếu»."))
    else:
        lines.append(
            _("Chọn tối đa {seats} đơn vị, rồi bấm «Xem lại» và «Bỏ phiếu».").format(
                seats=view.seats
            )
        )
    lines.append(_("Mỗi đơn vị một phiếu: phiếu xác nhận đầu tiên của đơn vị là phiếu được tính."))
    if view.secret:
        lines.append(_("Phiếu kín: bot không lưu đơn vị nào chọn gì."))
    else:
        lines.append(_("Biểu quyết công khai: lựa chọn của đơn vị được công bố cùng kết quả."))
    return Reply("\n".join(lines), _ballot_buttons(view, locale))


def _ballot_buttons(view: BallotView, locale: str) -> tuple[tuple[Button, ...], ...]:
    _ = gettext_for(locale)
    if view.approval:
        return tuple(
            (Button(option.label(locale), view.data(REVIEW, 1 << index)),)
            for index, option in enumerate(view.options)
        )
    rows: list[tuple[Button, ...]] = [
        (Button(_mark(view, index) + option.label(locale), view.data(TOGGLE, None, index)),)
        for index, option in enumerate(view.options)
    ]
    rows.append(
        (
            Button(_("Không chọn ai"), view.data(REVIEW, 0)),
            Button(_("Xem lại ▸"), view.data(REVIEW)),
        )
    )
    return tuple(rows)


def _mark(view: BallotView, index: int) -> str:
    return "☑ " if view.mask >> index & 1 else "☐ "


def review_reply(view: BallotView, locale: str) -> Reply:
    """The ballot as it will be cast, with «Bỏ phiếu» and «Chọn lại»."""
    _ = gettext_for(locale)
    picked = [option.label(locale) for option in chosen(view)]
    lines = [
        _("Anh/chị xem lại phiếu của {unit} cho «{title}»:").format(
            unit=view.unit_name, title=view.title
        )
    ]
    lines += [f"• {label}" for label in picked] or [_("• Không chọn ai")]
    lines.append(_("Bấm «Bỏ phiếu» để gửi. Phiếu đã gửi thì không sửa được."))
    buttons = (
        (
            Button(_("✅ Bỏ phiếu"), view.data(CAST)),
            Button(_("✏️ Chọn lại"), view.data(AGAIN)),
        ),
    )
    return Reply("\n".join(lines), buttons)


def receipt_reply(view: BallotView, receipt: str, locale: str) -> Reply:
    """The voter's receipt: the code to find the ballot by in the published count."""
    _ = gettext_for(locale)
    lines = [
        _("✅ Đã nhận phiếu của {unit} cho «{title}».").format(
            unit=view.unit_name, title=view.title
        ),
        _("Mã phiếu: {receipt}").format(receipt=receipt),
    ]
    if view.secret:
        lines.append(
            _(
                "Hãy giữ mã này: khi có kết quả, anh/chị tìm mã trong danh sách phiếu được công "
                "bố để kiểm tra phiếu của đơn vị. Bot không lưu mã này cùng tên đơn vị."
            )
        )
    return Reply("\n".join(lines))


def markup(reply: Reply) -> dict[str, object] | None:
    """A reply's buttons as the Bot API's `reply_markup`, for a message sent by the outbox."""
    if not reply.buttons:
        return None
    rows = [[{"text": b.text, "callback_data": b.data} for b in row] for row in reply.buttons]
    return {"inline_keyboard": rows}
