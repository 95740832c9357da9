"""`/help`: the focal point's guide, then only the commands the caller may use there."""

from __future__ import annotations

from bot.desk.scope import Desk
from bot.domain.admin_body import admin_body
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.domain.roles import Caller, Chat, Role, commands_for
from bot.edge.send import Item

__all__ = [
    "LEADER_COMMANDS",
    "descriptions",
    "focal_help",
    "guide",
    "help_for",
    "not_understood",
]

# Commands that follow a cluster's progress, then those that set the cycle up.
LEADER_COMMANDS = (
    "board", "summary", "scores", "rescore", "remind", "export", "return", "pledge",
    "conference", "checkin", "attendance", "agenda", "next", "handover", "delegates",
    "vote", "closevote",
    "report", "minutes", "invitation",
)  # fmt: skip
# What a focal point sees of these: their own unit's scores, the invitations it got.
_FOCAL_TOO = frozenset({"scores", "invitation"})


_ADMIN_COMMANDS = (
    "clusters", "units", "periods", "members", "open", "lock", "unlock", "invite", "revoke",
    "audit", "approve", "broadcast", "import", "template", "bind", "unbind",
)  # fmt: skip


def descriptions(locale: str) -> dict[str, str]:
    """Command -> its description (Telegram allows 3-256 characters)."""
    _ = gettext_for(locale)
    return {
        "submit": _("Nộp số liệu của đơn vị"),
        "status": _("Tình trạng nộp và hạn nộp"),
        "cancel": _("Tạm dừng, giữ bản nháp"),
        "targets": _("Đăng ký chỉ tiêu giao ước năm sau"),
        "sign": _("Ký giao ước thi đua"),
        "rsvp": _("Đăng ký đại biểu dự hội nghị"),
        "board": _("Bảng tiến độ nộp số liệu của cụm"),
        "summary": _("Tổng hợp số liệu của cụm (chữ, biểu đồ, Excel)"),
        "remind": _("Nhắc ngay các đơn vị chưa nộp"),
        "export": _("Xuất số liệu một kỳ ra Excel hoặc CSV"),
        "return": _("Trả lại số liệu cho đơn vị sửa, kèm lý do"),
        "pledge": _("Đăng ký chỉ tiêu, ký giao ước năm sau"),
        "scores": _("Bảng điểm, xếp hạng và các thay đổi điểm"),
        "rescore": _("Sửa điểm một tiêu chí của đơn vị, kèm lý do"),
        "approve": _("Duyệt và khóa điểm của cụm, hoặc mở khóa"),
        "vote": _("Biểu quyết tại hội nghị: mở, theo dõi, nhắc, tạo mới"),
        "closevote": _("Kết thúc biểu quyết đang mở và công bố kết quả"),
        "conference": _("Tạo, sửa hội nghị và chương trình"),
        "checkin": _("Điểm danh đại biểu tại hội nghị"),
        "attendance": _("Ghi đơn vị có mặt, vắng mặt, vắng có lý do"),
        "agenda": _("Đăng chương trình hội nghị vào nhóm"),
        "next": _("Chuyển sang mục tiếp theo của chương trình"),
        "handover": _("Công bố cụm trưởng, cụm phó năm sau trong nhóm"),
        "delegates": _("Danh sách đại biểu, đơn vị chưa đăng ký"),
        "report": _("Dự thảo báo cáo sơ kết, tổng kết của cụm (Word, PDF)"),
        "minutes": _("Biên bản hội nghị; ghi người chủ trì, thư ký"),
        "invitation": _("Giấy mời dự hội nghị (Word, PDF)"),
        "clusters": _("Danh sách cụm; đặt cụm trưởng, cụm phó"),
        "units": _("Danh sách đơn vị của một cụm"),
        "periods": _("Danh sách kỳ báo cáo và trạng thái"),
        "members": _("Ai là đầu mối của đơn vị nào"),
        "open": _("Mở một kỳ báo cáo"),
        "lock": _("Khóa sổ một kỳ, hoặc riêng một đơn vị"),
        "unlock": _("Mở khóa cho một đơn vị nộp bổ sung"),
        "invite": _("Tạo đường dẫn mời vào một đơn vị"),
        "revoke": _("Thu hồi quyền của một người"),
        "audit": _("Nhật ký thay đổi của một đơn vị"),
        "broadcast": _("Gửi thông báo tới nhóm của một cụm"),
        "import": _("Nhập tệp thiết lập (YAML hoặc Excel)"),
        "template": _("Tải mẫu thiết lập Excel"),
        "bind": _("Gắn nhóm này với một cụm"),
        "unbind": _("Bỏ gắn nhóm này khỏi cụm"),
        "start": _("Bắt đầu, tham gia đơn vị bằng đường dẫn mời"),
        "lang": _("Đổi ngôn ngữ"),
        "profile": _("Họ tên và chức vụ trên danh sách, văn bản"),
        "help": _("Hướng dẫn"),
    }


def help_for(caller: Caller, chat: Chat, locale: str, focal_help: str) -> str:
    """`/help`: the focal point's guide if they have a unit, then what else the caller may do."""
    _ = gettext_for(locale)
    described = descriptions(locale)
    roles = caller.roles
    if chat is Chat.GROUP:
        lines = [_("Lệnh dùng trong nhóm:")]
        lines += [f"/{name} – {described[name]}" for name in commands_for(caller, chat)]
        lines.append(_("Nộp số liệu và các lệnh khác: mở trò chuyện riêng với bot."))
        return "\n".join(lines)
    sections = []
    if Role.FOCAL in roles:
        sections.append(focal_help)
    elif not roles & {Role.CHAIR, Role.ADMIN}:
        sections.append(
            _(
                "Anh/chị chưa thuộc đơn vị nào. Để nộp số liệu, đề nghị liên hệ quản trị viên "
                "({body}) hoặc cụm trưởng để được cấp đường dẫn mời cho đơn vị.\n"
                "/lang – đổi ngôn ngữ\n/help – hướng dẫn"
            ).format(body=admin_body())
        )
    leading = [name for name in LEADER_COMMANDS if name in commands_for(caller, chat)]
    if leading and set(leading) <= _FOCAL_TOO:  # a focal point's, not a chair's
        sections[-1] += "".join(f"\n/{name} – {described[name]}" for name in leading)
    elif leading:
        title = _("Theo dõi cụm (cụm trưởng, cụm phó):")
        sections.append("\n".join([title, *(f"/{n} – {described[n]}" for n in leading)]))
    if Role.ADMIN in roles:
        lines = [_("Quản trị:")]
        lines += [f"/{name} – {described[name]}" for name in _ADMIN_COMMANDS]
        lines.append(
            _(
                "/bind và /unbind gõ trong nhóm của cụm. Gửi tệp .yaml hoặc .xlsx vào đây để "
                "nhập thiết lập. Lệnh thiếu tham số sẽ hỏi bằng nút bấm."
            )
        )
        if Role.FOCAL not in roles:
            lines.append(_("/lang – đổi ngôn ngữ"))
        sections.append("\n".join(lines))
    return "\n\n".join(sections)


def focal_help(locale: str) -> str:
    """What a focal point can do."""
    _ = gettext_for(locale)
    return _(
        "Hướng dẫn nộp số liệu:\n"
        "/submit – nộp số liệu (hoặc bấm «Nộp số liệu»); trả lời từng câu, bấm «Quay lại» "
        "để sửa câu trước, «Bỏ qua» cho câu không bắt buộc\n"
        "/status – tình trạng nộp và hạn nộp của đơn vị\n"
        "/cancel – tạm dừng; bản nháp được giữ, /submit để tiếp tục\n"
        "/lang – đổi ngôn ngữ\n"
        "/start – tham gia đơn vị bằng đường dẫn mời\n\n"
        "Cách gõ số: dấu phẩy là phần thập phân (25,8), dấu chấm ngăn cách hàng nghìn (1.250); "
        "tỷ lệ gõ dạng 47/53; phần trăm gõ 12,5 hoặc 12,5%."
    )


def guide(desk: Desk) -> list[Item]:
    """`/help`: only the commands the caller may use, in this kind of chat."""
    return [Reply(help_for(desk.caller, desk.chat, desk.locale, focal_help(desk.locale)))]


def not_understood(desk: Desk, *, photo: bool) -> list[Item]:
    """A sticker, photo, voice note…: what the bot understands."""
    _ = desk._
    if photo:
        text = _(
            "Bot không nhận ảnh. Nếu cần gửi báo cáo, hãy gửi tệp PDF, DOCX hoặc XLSX "
            "dưới dạng tài liệu (📎 → Tệp)."
        )
    else:
        text = _("Bot chỉ hiểu chữ, nút bấm và tệp tài liệu. Gõ /help để xem hướng dẫn.")
    return [Reply(text)]
