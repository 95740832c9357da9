"""The command line in `THIDUA_LOCALE`: our help texts through the catalogue, Click's own words
("Usage:", "Missing option") in Vietnamese, and settings errors in sentences.

Help texts are written in Vietnamese, like every message, and marked with `N_` so that
`make messages` extracts them; `Command` and `Group` translate them when help is shown, so the
language is the one in force then, not at import. Click writes its own words through gettext
in English; for Vietnamese they are looked up in `_CLICK_WORDS` instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types
from pydantic import ValidationError

from bot.domain.i18n import DEFAULT_LOCALE, N_, gettext_for, known_locale

__all__ = ["N_", "Command", "Group", "cli_locale", "settings_problems", "use_click_words"]


def cli_locale() -> str:
    """The command line's language: `THIDUA_LOCALE` (from the environment or `.env`), read
    without the other settings, which may be the very thing that is wrong."""
    from bot.settings import Settings

    try:
        return Settings().locale
    except ValidationError:
        return known_locale(os.environ.get("THIDUA_LOCALE")) or DEFAULT_LOCALE


# Click's own words, as Click 8 writes them, and how Vietnamese says them.
_CLICK_WORDS = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Gõ '{command} {option}' để xem hướng dẫn.",
    "Missing option": "Thiếu tùy chọn",
    "Missing argument": "Thiếu đối số",
    "Missing parameter": "Thiếu tham số",
    "Missing command.": "Thiếu lệnh.",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such option: {name}": "Không có tùy chọn: {name}",
    "Did you mean {possibility}?": "Có phải ý là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý là một trong: {possibilities}?)",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa đối số ({args})",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số {number_type}.",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "{value!r} is not {choice}.": "{value!r} không phải là {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc các giá trị {choices}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} không phải là có/không. Các giá trị nhận: {states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} không đọc được.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} không ghi được.",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "file": "Tệp",
    "directory": "Thư mục",
    "path": "Đường dẫn",
    "integer": "nguyên",
    "float": "thập phân",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "Aborted!": "Đã dừng.",
    "unknown error": "lỗi không rõ",
}
_CLICK_MODULES: tuple[ModuleType, ...] = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.types,
)
_ORIGINALS: dict[str, dict[str, Any]] = {
    module.__name__: {
        name: getattr(module, name) for name in ("_", "ngettext") if hasattr(module, name)
    }
    for module in _CLICK_MODULES
}


def _vi_gettext(message: str) -> str:
    return _CLICK_WORDS.get(message, message)


def _vi_ngettext(singular: str, plural: str, count: int) -> str:
    return _vi_gettext(singular if count == 1 else plural)


def use_click_words(locale: str) -> None:
    """Click's own words in `locale` from now on (English is Click's own)."""
    for module in _CLICK_MODULES:
        originals = _ORIGINALS[module.__name__]
        for name, original in originals.items():
            vietnamese = _vi_gettext if name == "_" else _vi_ngettext
            setattr(module, name, vietnamese if locale == "vi" else original)
    # Click names a number type by its `name` in "is not a valid integer".
    click.INT.name = _vi_gettext("integer") if locale == "vi" else "integer"
    click.FLOAT.name = _vi_gettext("float") if locale == "vi" else "float"


# What Click shows for a value it names by its type (`--unit TEXT`), in Vietnamese.
_VI_METAVARS = {"text": "CHUỖI", "integer": "SỐ", "integer range": "SỐ", "path": "TỆP"}


@contextmanager
def _translated(command: click.Command) -> Iterator[None]:
    """The command's help and its options' help in the reader's language, while shown."""
    locale = cli_locale()
    translate = gettext_for(locale)
    kept = (command.help, command.short_help, command.options_metavar)
    group = command if isinstance(command, click.Group) else None
    kept_metavar = group.subcommand_metavar if group else None
    options = [param for param in command.params if isinstance(param, click.Option)]
    kept_options = [(option.help, option.metavar) for option in options]
    try:
        command.help = translate(command.help) if command.help else command.help
        command.short_help = translate(command.short_help) if command.short_help else None
        for option in options:
            option.help = translate(option.help) if option.help else option.help
            if locale == "vi" and option.metavar is None and not option.is_flag:
                option.metavar = _VI_METAVARS.get(option.type.name)
        if locale == "vi":
            command.options_metavar = "[TÙY_CHỌN]"
            if group is not None:
                group.subcommand_metavar = "LỆNH [ĐỐI_SỐ]..."
        yield
    finally:
        command.help, command.short_help, command.options_metavar = kept
        if group is not None and kept_metavar is not None:
            group.subcommand_metavar = kept_metavar
        for option, (help_text, metavar) in zip(options, kept_options, strict=True):
            option.help, option.metavar = help_text, metavar


class Command(click.Command):
    """A command whose help is shown in `THIDUA_LOCALE`."""

    def get_help(self, ctx: click.Context) -> str:
        with _translated(self):
            return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self):
            return super().get_short_help_str(limit)


class Group(click.Group):
    """A group whose help, and whose commands' help, is shown in `THIDUA_LOCALE`; Click's own
    words too, for help and errors alike, from the moment it runs."""

    command_class = Command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        use_click_words(cli_locale())
        return super().main(*args, **kwargs)

    def get_help(self, ctx: click.Context) -> str:
        with _translated(self):
            return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self):
            return super().get_short_help_str(limit)


Group.group_class = Group


# -- settings errors in sentences ----------------------------------------------------------

_PROBLEMS = {
    "int_parsing": N_("cần một số nguyên"),
    "float_parsing": N_("cần một số"),
    "decimal_parsing": N_("cần một số"),
    "bool_parsing": N_("cần true hoặc false"),
    "greater_than": N_("cần lớn hơn {gt}"),
    "greater_than_equal": N_("cần từ {ge} trở lên"),
    "less_than": N_("cần nhỏ hơn {lt}"),
    "less_than_equal": N_("cần không quá {le}"),
    "literal_error": N_("chỉ nhận {expected}"),
    "string_too_long": N_("dài quá {max_length} ký tự"),
}


def settings_problems(error: ValidationError, locale: str) -> str:
    """Every wrong setting, by its name, in `locale`: `THIDUA_WEBHOOK_PORT: cần không quá
    65535 (đang là “70000”)`."""
    _ = gettext_for(locale)
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"])
        context = problem.get("ctx") or {}
        if problem["type"] == "value_error":
            # Our validators' own sentences (bot/settings.py), marked for the catalogue.
            said = _(str(context.get("error", problem["msg"])))
        elif problem["type"] in _PROBLEMS:
            said = _(_PROBLEMS[problem["type"]]).format(**{k: str(v) for k, v in context.items()})
        else:
            said = _("giá trị không dùng được")
        value = problem.get("input")
        if isinstance(value, (str, int, float)) and not name.endswith(("TOKEN", "SECRET")):
            said += " " + _("(đang là “{value}”)").format(value=value)
        lines.append(f"{name}: {said}")
    return "; ".join(lines)
