"""A set-up file's YAML as a tree, within the limits and with every mapping key written once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from babel.numbers import format_decimal
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from bot.domain.i18n import Translate, babel_locale, gettext_for
from bot.domain.sizes import file_size
from bot.setup.limits import SETUP_LIMITS, SetupLimits
from bot.setup.model import Problem, SetupError
from bot.setup.yaml_tree import NeedsNodes, TreeBuilder

__all__ = ["count", "load_tree", "refuse_too_big"]

_MERGE_TAG = "tag:yaml.org,2002:merge"
# A "\ud800" escape makes half a character that no database can store.
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_tree(text: str | bytes, locale: str, limits: SetupLimits = SETUP_LIMITS) -> Any:
    """The file's tree; `SetupError` if too big, too deep, with a key twice, or not YAML."""
    _ = gettext_for(locale)
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "replace"))
    refuse_too_big(size, locale, limits)
    try:
        tree = _compose(_FastLoader, text, locale, limits)
    except (yaml.YAMLError, UnicodeError):
        # libyaml words some faults differently (a nesting too deep for it before ours, a lone
        # surrogate): PyYAML's own reader reads the bad file again to say what it always said.
        try:
            tree = _compose(_PureLoader, text, locale, limits)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = _("dòng {line}").format(line=mark.line + 1) if mark else ""
            raise SetupError([Problem(where, _("tệp không phải YAML hợp lệ."))]) from None
    _refuse_too_many(tree, locale, limits)
    return tree


def _compose(
    loader_class: type[_SetupLoader], text: str | bytes, locale: str, limits: SetupLimits
) -> Any:
    loader = loader_class(text, locale, limits)  # reads the first characters already
    try:
        return loader.build_document()
    except NeedsNodes:  # a tagged list or mapping: composed into nodes, then constructed
        loader.dispose()
        loader = loader_class(text, locale, limits)
        return loader.get_single_data()
    finally:
        loader.dispose()


def refuse_too_big(size: int, locale: str, limits: SetupLimits = SETUP_LIMITS) -> None:
    """Refuse a set-up file larger than the limit, before anything reads it."""
    if size > limits.file_bytes:
        _ = gettext_for(locale)
        message = _("tệp nặng {size}, quá giới hạn {limit} của một tệp thiết lập.").format(
            size=file_size(size, locale), limit=file_size(limits.file_bytes, locale)
        )
        raise SetupError([Problem("", message)])


class _SetupLoader(TreeBuilder, Composer, SafeConstructor, Resolver):
    """PyYAML's safe loader that counts depth and values as it builds and checks keys;
    the parser that gives it the events is its subclass's. It builds the tree from the
    events (`TreeBuilder`), or composes nodes first for a file that needs them."""

    check_event: Callable[..., bool]  # the parser's
    peek_event: Callable[[], Event | None]
    dispose: Callable[[], None]

    def __init__(self, text: str | bytes, locale: str, limits: SetupLimits) -> None:
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        Composer.__init__(self)
        self._, self.locale = gettext_for(locale), locale
        self.limits = limits
        self.depth = 0
        self.nodes = 0  # with every alias counted as the values it stands for
        self.sizes: dict[int, int] = {}  # anchored node -> how many values it holds

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            node = super().compose_node(parent, index)
            if node is not None:
                self._count(self.sizes.get(id(node), 1), node.start_mark.line)
            return node
        event = self.peek_event()
        assert event is not None and event.start_mark is not None  # a node's event is due
        before = self.nodes
        self.enter(event.start_mark.line)
        node = super().compose_node(parent, index)
        self.leave()
        if getattr(event, "anchor", None) is not None:  # a scalar's, sequence's or mapping's
            self.sizes[id(node)] = self.nodes - before
        return node

    def enter(self, line: int) -> None:
        """A node starts at `line`: one level deeper, one value more."""
        # The builder calls itself once per level: stop long before Python's recursion limit.
        if self.depth >= self.limits.yaml_depth:
            self._refuse(line, _deep(self._, self.limits.yaml_depth))
        self.depth += 1
        self._count(1, line)

    def leave(self) -> None:
        self.depth -= 1

    def counted(self, values: int, line: int) -> None:
        self._count(values, line)

    def construct_scalar(self, node: Any) -> Any:
        value = super().construct_scalar(node)
        if isinstance(value, str) and _SURROGATE.search(value):
            message = self._("giá trị có ký tự lỗi (mã \\ud800–\\udfff); hãy gõ lại chữ đó.")
            self._refuse(node.start_mark.line, message)
        return value

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            self._refuse_repeated_keys(node)
        return super().construct_mapping(node, deep=deep)

    def _count(self, values: int, line: int) -> None:
        self.nodes += values
        if self.nodes > self.limits.yaml_nodes:
            message = self._(
                "tệp có quá {limit} giá trị (kể cả các giá trị lặp lại bằng bí danh YAML)."
            ).format(limit=count(self.limits.yaml_nodes, self.locale))
            self._refuse(line, message)

    def _refuse_repeated_keys(self, node: MappingNode) -> None:
        self.check_keys(
            [
                (self.construct_object(key), key.value, key.start_mark.line)
                for key, _value in node.value
                if isinstance(key, ScalarNode) and key.tag != _MERGE_TAG
            ]
        )

    def check_keys(self, keys: list[tuple[Any, str, int]]) -> None:
        """A key written twice would silently win over the first (a second `timezone:`);
        `keys` are a mapping's scalar keys: each value, as written, and its line."""
        first_lines: dict[Any, int] = {}
        for key, text, line in keys:
            if key in first_lines:
                message = self._(
                    "khóa «{key}» lặp lại (đã có ở dòng {first}); mỗi khóa chỉ được viết một lần."
                ).format(key=text, first=first_lines[key] + 1)
                self._refuse(line, message)
            first_lines[key] = line

    def _refuse(self, line: int, message: str) -> None:
        raise SetupError([Problem(self._("dòng {line}").format(line=line + 1), message)])


class _PureLoader(_SetupLoader, Reader, Scanner, Parser):
    """With PyYAML's reader, scanner and parser, in Python."""

    def __init__(self, text: str | bytes, locale: str, limits: SetupLimits) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        super().__init__(text, locale, limits)


try:
    from yaml._yaml import CParser

    class _FastLoader(_SetupLoader, CParser):
        """With libyaml's parser: four times faster on a national set-up."""

        def __init__(self, text: str | bytes, locale: str, limits: SetupLimits) -> None:
            CParser.__init__(self, text)
            super().__init__(text, locale, limits)

except ImportError:  # PyYAML built without libyaml
    _FastLoader = _PureLoader  # type: ignore[misc, assignment]


def _deep(_: Translate, limit: int) -> str:
    return _("các mục lồng nhau quá sâu (quá {limit} tầng).").format(limit=limit)


def count(number: int, locale: str) -> str:
    """`10.000`: a count with the locale's grouping."""
    return str(format_decimal(number, locale=babel_locale(locale)))


def _refuse_too_many(tree: Any, locale: str, limits: SetupLimits) -> None:
    """Units, indicators and periods within their limits, counted before any is checked."""
    if not isinstance(tree, dict):
        return
    _ = gettext_for(locale)
    clusters = _listed(tree.get("clusters"))
    pledges = _listed(tree.get("pledges"))
    counts = (
        ("clusters", sum(len(_listed(c.get("units"))) for c in clusters), limits.units),
        ("pledges", sum(len(_listed(p.get("indicators"))) for p in pledges), limits.indicators),
        ("periods", len(_listed(tree.get("periods"))), limits.periods),
    )
    problems = [
        Problem(path, _too_many(_, path, count(found, locale), count(limit, locale)))
        for path, found, limit in counts
        if found > limit
    ]
    if problems:
        raise SetupError(problems)


def _listed(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list in the tree (the reader reports anything else later)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _too_many(_: Translate, path: str, found: str, limit: str) -> str:
    messages = {
        "clusters": _("tệp có {count} đơn vị, quá giới hạn {limit} của một tệp thiết lập."),
        "pledges": _("tệp có {count} chỉ tiêu, quá giới hạn {limit} của một tệp thiết lập."),
        "periods": _("tệp có {count} kỳ báo cáo, quá giới hạn {limit} của một tệp thiết lập."),
    }
    return messages[path].format(count=found, limit=limit)
