"""Set-up files sent in the chat: check, show what would change, apply on «Xác nhận»."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.replies import Button, Reply
from bot.edge.send import Attachment, Item
from bot.setup import SetupError, SetupFile, read_setup
from bot.setup.changes import change_lines, changes_summary
from bot.setup.template import setup_workbook, workbook_to_yaml
from bot.storage import admin as store
from bot.storage.models import PendingImport
from bot.storage.setup_export import setup_tree
from bot.storage.setup_import import Change, apply_setup, known_clusters

__all__ = ["import_setup", "preview", "template"]

_SHOWN_CHANGES = 30  # a long list is summarised: a chat is not the place for 3,000 lines


def import_setup(desk: Desk, request: Request) -> list[Item]:
    """`/import`: how to send a file; `/import ok|no <id>`: the buttons of a preview."""
    _ = desk._
    choice, pending_id = request.word(0), request.word(1)
    if choice in ("ok", "no") and pending_id is not None and pending_id.isdigit():
        pending = desk.session.get(PendingImport, int(pending_id))
        if pending is None or pending.person_id != desk.person.id:
            return [Reply(_("Tệp này đã được nhập hoặc đã huỷ. Gửi lại tệp nếu cần nhập."))]
        if choice == "no":
            store.drop_pending_import(desk.session, pending)
            return [Reply(_("Đã huỷ, chưa ghi gì."))]
        return _apply(desk, pending)
    return [
        Reply(
            _(
                "Gửi vào đây tệp thiết lập .yaml (như examples/cluster.yaml), hoặc tệp Excel "
                "điền theo mẫu (gõ /template để lấy mẫu), dưới dạng tài liệu (📎 → Tệp). Bot "
                "kiểm tra tệp, cho xem trước các thay đổi và chỉ ghi khi bạn bấm «Xác nhận»."
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


def _read(desk: Desk, file_name: str, content: bytes) -> SetupFile:
    text: str | bytes = content
    if file_name.lower().endswith(".xlsx"):
        text = workbook_to_yaml(content, locale=desk.locale)
    return read_setup(text, locale=desk.locale, known_clusters=known_clusters(desk.session))


def preview(desk: Desk, file_name: str, content: bytes) -> list[Item]:
    """Check the file and apply it in a savepoint rolled back: what would change."""
    _ = desk._
    try:
        setup = _read(desk, file_name, content)
    except SetupError as error:
        return [_problems(desk, file_name, error)]
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
        _("Bấm «Xác nhận» để ghi các thay đổi này, hoặc «Huỷ» để bỏ."),
    ]
    buttons = (
        (
            Button(_("✅ Xác nhận"), encode("c", "import", "ok", pending.id)),
            Button(_("Huỷ"), encode("c", "import", "no", pending.id)),
        ),
    )
    return [Reply("\n".join(lines), buttons)]


def _apply(desk: Desk, pending: PendingImport) -> list[Item]:
    try:
        setup = _read(desk, pending.file_name, pending.content)
    except SetupError as error:  # the database changed since the preview
        store.drop_pending_import(desk.session, pending)
        return [_problems(desk, pending.file_name, error)]
    changes = apply_setup(desk.session, setup, actor=desk.actor)
    store.drop_pending_import(desk.session, pending)
    lines = [
        *_listed(desk, changes),
        changes_summary(len(changes), dry_run=False, locale=desk.locale),
    ]
    return [Reply("✅ " + "\n".join(lines))]


def _problems(desk: Desk, file_name: str, error: SetupError) -> Reply:
    """Every problem by its path, as `thidua import` prints them."""
    _ = desk._
    lines = [
        _("Tệp {file} có {count} lỗi, chưa ghi gì:").format(
            file=file_name, count=len(error.problems)
        )
    ]
    lines += [f"  {problem}" for problem in error.problems]
    return Reply("\n".join(lines))


def _warnings(desk: Desk, setup: SetupFile) -> list[str]:
    _ = desk._
    return [_("Lưu ý: {warning}").format(warning=warning) for warning in setup.warnings]


def _listed(desk: Desk, changes: Sequence[Change]) -> list[str]:
    """The changes, the first few in full and the rest counted by kind."""
    _ = desk._
    lines = change_lines(changes[:_SHOWN_CHANGES])
    rest = changes[_SHOWN_CHANGES:]
    if rest:
        counts = Counter(f"{change.action} {change.entity}" for change in rest)
        kinds = ", ".join(f"{count} {kind}" for kind, count in counts.most_common())
        lines.append(
            _("… và {count} thay đổi khác ({kinds}).").format(count=len(rest), kinds=kinds)
        )
    return lines
