"""Set-up files sent in the chat: check, show what would change, apply on «Xác nhận»."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.callbacks import as_id, encode
from bot.domain.replies import Button, Reply
from bot.edge.send import Attachment, Item
from bot.setup import SetupError, SetupFile, read_setup
from bot.setup.changes import change_counts, change_lines, changes_summary
from bot.setup.lines import located, with_lines
from bot.setup.template import setup_workbook
from bot.setup.template_read import place_problems, read_workbook
from bot.setup.template_words import Places
from bot.storage import admin as store
from bot.storage.models import PendingImport
from bot.storage.setup_export import setup_tree
from bot.storage.setup_import import Change, apply_setup, known_clusters

__all__ = ["Parsed", "import_setup", "parse_setup", "preview", "template"]

_SHOWN_CHANGES = 30  # a long list is summarised: a chat is not the place for 3,000 lines
_SHOWN_PROBLEMS = 20  # the rest go in a file: 10,000 problems were 139 messages

Parsed = SetupFile | SetupError


def import_setup(desk: Desk, request: Request) -> list[Item]:
    """`/import`: how to send a file; `/import ok|no <id>`: the buttons of a preview."""
    _ = desk._
    choice, pending_id = request.word(0), request.word(1)
    number = as_id(pending_id) if pending_id is not None else None
    if choice in ("ok", "no") and number is not None:
        pending = desk.session.get(PendingImport, number)
        if pending is None or pending.person_id != desk.person.id:
            return [Reply(_("Tệp này đã được nhập hoặc đã hủy. Gửi lại tệp nếu cần nhập."))]
        if choice == "no":
            store.drop_pending_import(desk.session, pending)
            return [Reply(_("Đã hủy, chưa ghi gì."))]
        return _apply(desk, pending)
    return [
        Reply(
            _(
                "Gửi vào đây tệp thiết lập .yaml (như examples/cluster.yaml), hoặc tệp Excel "
                "điền theo mẫu (gõ /template để lấy mẫu), dưới dạng tài liệu (📎 → Tệp). Bot "
                "kiểm tra tệp, cho xem trước các thay đổi và chỉ ghi khi anh/chị bấm «Xác nhận»."
            )
        )
    ]


def template(desk: Desk, request: Request) -> list[Item]:
    """`/template`: the Excel template, filled with the set-up stored now."""
    _ = desk._
    content = setup_workbook(setup_tree(desk.session), locale=desk.locale)
    caption = _(
        "Mẫu thiết lập (đã điền thiết lập hiện có). Sửa hoặc thêm dòng, rồi gửi lại tệp này "
        "cho bot để nhập."
    )
    return [Attachment(_("mau-thiet-lap.xlsx"), content, caption=caption)]


def parse_setup(
    file_name: str, content: bytes, *, locale: str, known: dict[str, frozenset[str]]
) -> Parsed:
    """The set-up file read, or its problems; no session, so it runs on the heavy thread."""
    text: str | bytes = content
    places: Places = {}
    try:
        if file_name.lower().endswith(".xlsx"):
            text, places = read_workbook(content, locale=locale)
        setup = read_setup(text, locale=locale, known_clusters=known)
    except SetupError as error:
        # A workbook's problems by sheet, row and column header, not by the YAML it became.
        if places:
            return place_problems(error, places, locale)
        return error if file_name.lower().endswith(".xlsx") else with_lines(error, text, locale)
    if places or not setup.warnings:
        return setup
    return replace(setup, warnings=tuple(located(setup.warnings, text, locale)))


def _read(desk: Desk, file_name: str, content: bytes) -> Parsed:
    known = known_clusters(desk.session)
    return parse_setup(file_name, content, locale=desk.locale, known=known)


def preview(desk: Desk, file_name: str, content: bytes, parsed: Parsed | None = None) -> list[Item]:
    """Check the file (`parsed` before the turn, or here) and apply it in a savepoint rolled
    back: what would change."""
    _ = desk._
    setup = _read(desk, file_name, content) if parsed is None else parsed
    if isinstance(setup, SetupError):
        return _problems(desk, file_name, setup)
    nested = desk.session.begin_nested()
    changes = apply_setup(desk.session, setup, actor=desk.actor)
    nested.rollback()
    lines = _warnings(desk, setup)
    if not changes:
        return [Reply("\n".join([*lines, changes_summary(0, dry_run=True, locale=desk.locale)]))]
    pending = store.keep_pending_import(
        desk.session, person_id=desk.person.id or 0, file_name=file_name, content=content
    )
    lines += [_("Xem trước tệp {file}:").format(file=file_name), *_listed(desk, changes)]
    lines += [
        changes_summary(len(changes), dry_run=True, locale=desk.locale),
        _("Bấm «Xác nhận» để ghi các thay đổi này, hoặc «Hủy» để bỏ."),
    ]
    buttons = (
        (
            Button(_("✅ Xác nhận"), encode("c", "import", "ok", pending.id)),
            Button(_("Hủy"), encode("c", "import", "no", pending.id)),
        ),
    )
    return [Reply("\n".join(lines), buttons)]


def _apply(desk: Desk, pending: PendingImport) -> list[Item]:
    setup = _read(desk, pending.file_name, pending.content)
    if isinstance(setup, SetupError):  # the database changed since the preview
        store.drop_pending_import(desk.session, pending)
        return _problems(desk, pending.file_name, setup)
    changes = apply_setup(desk.session, setup, actor=desk.actor)
    store.drop_pending_import(desk.session, pending)
    lines = [
        *_listed(desk, changes),
        changes_summary(len(changes), dry_run=False, locale=desk.locale),
    ]
    return [Reply("✅ " + "\n".join(lines))]


def _problems(desk: Desk, file_name: str, error: SetupError) -> list[Item]:
    """The first problems by their path, as `thidua import` prints them; all of them in a
    file when there are more."""
    _ = desk._
    problems = [str(problem) for problem in error.problems]
    lines = [
        _("Tệp {file} có {count} lỗi, chưa ghi gì:").format(file=file_name, count=len(problems))
    ]
    lines += [f"  {problem}" for problem in problems[:_SHOWN_PROBLEMS]]
    if len(problems) <= _SHOWN_PROBLEMS:
        return [Reply("\n".join(lines))]
    rest = len(problems) - _SHOWN_PROBLEMS
    lines.append(_("… và {count} lỗi khác: xem tệp đính kèm.").format(count=rest))
    listing = "\n".join(problems).encode("utf-8") + b"\n"
    caption = _("Toàn bộ {count} lỗi của tệp {file}.").format(count=len(problems), file=file_name)
    return [Reply("\n".join(lines)), Attachment(_("loi-thiet-lap.txt"), listing, caption=caption)]


def _warnings(desk: Desk, setup: SetupFile) -> list[str]:
    _ = desk._
    return [_("Lưu ý: {warning}").format(warning=warning) for warning in setup.warnings]


def _listed(desk: Desk, changes: Sequence[Change]) -> list[str]:
    """The changes, the first few in full and the rest counted by kind."""
    _ = desk._
    zone = desk.settings.timezone
    lines = change_lines(changes[:_SHOWN_CHANGES], timezone=zone, locale=desk.locale)
    rest = changes[_SHOWN_CHANGES:]
    if rest:
        kinds = change_counts(rest, desk.locale)
        lines.append(
            _("… và {count} thay đổi khác ({kinds}).").format(count=len(rest), kinds=kinds)
        )
    return lines
