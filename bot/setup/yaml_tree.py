"""A YAML document built into Python values straight from the parser's events.

PyYAML composes the whole document into nodes (each with two marks) before it constructs a
value, so a file near the set-up limits held both at once: about 140 MB for 8,400 units and
126,000 targets. Here each event becomes its value as it comes, and only the anchors are
remembered. The result is what `SafeConstructor` gives, merge keys (`<<`) included; a list or
mapping with a tag of its own (`!!omap`, `!!set`, `!foo`) raises `NeedsNodes`, and the caller
reads the file PyYAML's way.

A fault found while constructing (a key written twice, a bad character, an unknown tag) waits
until the whole document has been read, as it does with PyYAML, so that a fault of the
document's syntax or size anywhere in it is still the one reported; of several, the one
PyYAML's constructor meets first is raised: it goes level by level, and in each mapping
checks the keys before it reads the values.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from types import GeneratorType
from typing import Any, NamedTuple

from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.error import MarkedYAMLError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from bot.setup.model import SetupError

__all__ = ["NeedsNodes", "TreeBuilder"]

Mark = Any  # PyYAML's `Mark`, or libyaml's: the same fields

_SEQ, _MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGE, _VALUE = "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"
_KEYS, _MERGES, _VALUES = 0, 1, 2  # what a mapping constructs first, second and last


class NeedsNodes(Exception):
    """The document tags a list or mapping: only PyYAML's node constructors read it."""


class _Built(NamedTuple):
    """A value and what its node was: kind (`scalar`, `sequence`, `mapping`), tag, text, mark."""

    value: Any
    kind: str
    tag: str
    text: str | None
    mark: Mark


class _Anchored:
    """An anchor's value, and how many values it stands for once finished (None before)."""

    __slots__ = ("built", "size")

    def __init__(self, built: _Built) -> None:
        self.built, self.size = built, None  # type: _Built, int | None


class TreeBuilder:
    """Builds the document from `get_event` and friends (a parser's), with the loader's checks.

    The loader supplies `resolve` and `yaml_constructors` (a Resolver and SafeConstructor),
    `construct_scalar`, and its hooks: `enter` (a node opens: depth and count), `leave`,
    `counted` (values an alias stands for) and `check_keys` (the mapping's keys, in order)."""

    check_event: Callable[..., bool]
    peek_event: Callable[[], Any]  # the parser's events, libyaml's typed loosely
    get_event: Callable[[], Any]
    resolve: Callable[..., str]
    yaml_constructors: dict[Any, Callable[..., Any]]
    nodes: int

    def enter(self, line: int) -> None: ...
    def leave(self) -> None: ...
    def counted(self, values: int, line: int) -> None: ...
    def check_keys(self, keys: list[tuple[Any, str, int]]) -> None: ...

    def build_document(self) -> Any:
        """The single document's value (None for an empty stream), as `get_single_data`."""
        self._anchors: dict[str, _Anchored] = {}
        self._fault: Exception | None = None
        self._rank = (0, 0, 0, 0)  # the fault's place in PyYAML's order of constructing
        self._open: list[int] = []  # the start of each list or mapping being read
        self.get_event()  # the stream's start
        built = None
        if not self.check_event(StreamEndEvent):
            self.get_event()  # the document's start
            built = self._node()
            self.get_event()  # the document's end
        if not self.check_event(StreamEndEvent):
            event = self.get_event()
            assert built is not None
            raise ComposerError(
                "expected a single document in the stream",
                built.mark,
                "but found another document",
                event.start_mark,
            )
        self.get_event()
        if self._fault is not None:
            raise self._fault
        return None if built is None else self._value(built)

    def _node(self, phase: int = _VALUES) -> _Built:
        if self.check_event(AliasEvent):
            event = self.get_event()
            anchored = self._anchors.get(event.anchor) if event.anchor else None
            if anchored is None:
                message = f"found undefined alias {event.anchor!r}"
                raise ComposerError(None, None, message, event.start_mark)
            assert event.start_mark is not None
            self.counted(anchored.size or 1, event.start_mark.line)
            return anchored.built
        event = self.peek_event()
        assert event is not None  # a node's event is due
        anchor = getattr(event, "anchor", None)
        if anchor is not None and anchor in self._anchors:
            raise ComposerError(
                f"found duplicate anchor {anchor!r}; first occurrence",
                self._anchors[anchor].built.mark,
                "second occurrence",
                event.start_mark,
            )
        assert event.start_mark is not None
        before = self.nodes
        self.enter(event.start_mark.line)
        if self.check_event(ScalarEvent):
            built = self._scalar(anchor, phase)
        elif self.check_event(SequenceStartEvent):
            built = self._sequence(anchor)
        else:
            built = self._mapping(anchor)
        self.leave()
        if anchor is not None:
            self._anchors[anchor].size = self.nodes - before
        return built

    def _scalar(self, anchor: str | None, phase: int) -> _Built:
        event = self.get_event()
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(ScalarNode, event.value, event.implicit)
        value = None
        if tag not in (_MERGE, _VALUE):  # keys the mapping reads; elsewhere a fault, later
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            value = self._constructed(node, phase)
        built = _Built(value, "scalar", tag, event.value, event.start_mark)
        if anchor is not None:
            self._anchors[anchor] = _Anchored(built)
        return built

    def _sequence(self, anchor: str | None) -> _Built:
        event = self.get_event()
        assert event.start_mark is not None
        tag = self._collection_tag(event, SequenceNode, _SEQ)
        items: list[Any] = []
        built = _Built(items, "sequence", tag, None, event.start_mark)
        if anchor is not None:
            self._anchors[anchor] = _Anchored(built)
        self._open.append(self.nodes)
        while not self.check_event(SequenceEndEvent):
            items.append(self._value(self._node()))
        self._open.pop()
        self.get_event()
        return built

    def _mapping(self, anchor: str | None) -> _Built:
        start = self.get_event()
        tag = self._collection_tag(start, MappingNode, _MAP)
        data: dict[Any, Any] = {}
        built = _Built(data, "mapping", tag, None, start.start_mark)
        if anchor is not None:
            self._anchors[anchor] = _Anchored(built)
        merged: list[dict[Any, Any]] = []
        pairs: list[tuple[Any, Any]] = []
        keys: list[tuple[Any, str, int]] = []  # the scalar keys written, for `check_keys`
        self._open.append(self.nodes)
        while not self.check_event(MappingEndEvent):
            key = self._node(_KEYS)
            value = self._node()
            if key.tag == _MERGE:
                merged += self._merged(start.start_mark, value)
                continue
            key_value = self._value(key, _KEYS)  # a `=` key is a fault, as PyYAML's check found
            if key.kind == "scalar":
                keys.append((key_value, str(key.text), key.mark.line))
            elif not isinstance(key_value, Hashable):
                message = "found unhashable key"
                fault = ConstructorError(
                    "while constructing a mapping", start.start_mark, message, key.mark
                )
                self._fail(fault, _VALUES, key.mark.line)
            pairs.append((key_value, self._value(value)))
        try:
            self.check_keys(keys)
        except SetupError as fault:
            self._fail(fault, _KEYS, int(keys[-1][2]))
        self._open.pop()
        self.get_event()
        if self._fault is None:  # (a faulty mapping's value is never read)
            for mapping in merged:  # the keys written win over the merged ones
                data.update(mapping)
            data.update(pairs)
        return built

    def _merged(self, mark: Mark, value: _Built) -> list[dict[Any, Any]]:
        """The mappings a `<<` key merges, in their order (PyYAML 6 lets the later win)."""
        if value.kind == "mapping":
            return [value.value]
        if value.kind == "sequence":
            mappings = self._value(value)
            if all(isinstance(item, dict) for item in mappings):
                return list(mappings)
            found = "a non-mapping item"
        else:
            found = value.kind
        message = f"expected a mapping or list of mappings for merging, but found {found}"
        fault = ConstructorError("while constructing a mapping", mark, message, value.mark)
        self._fail(fault, _MERGES, value.mark.line)
        return []

    def _collection_tag(self, event: Any, kind: type, default: str) -> str:
        tag: str | None = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(kind, None, event.implicit)
        if tag != default:
            raise NeedsNodes(tag)
        return tag

    def _constructed(self, node: ScalarNode, phase: int) -> Any:
        constructor = self.yaml_constructors.get(node.tag, self.yaml_constructors[None])
        try:
            value = constructor(self, node)
            if isinstance(value, GeneratorType):  # a list's or mapping's tag on a scalar
                generator, value = value, next(value)
                for _ in generator:
                    pass
            return value
        except (MarkedYAMLError, SetupError) as fault:
            self._fail(fault, phase, node.start_mark.line)
            return None

    def _value(self, built: _Built, phase: int = _VALUES) -> Any:
        """The node's value; a merge or value key where a value belongs cannot be constructed."""
        if built.kind == "scalar" and built.tag in (_MERGE, _VALUE):
            message = f"could not determine a constructor for the tag {built.tag!r}"
            self._fail(ConstructorError(None, None, message, built.mark), phase, built.mark.line)
        return built.value

    def _fail(self, fault: Exception, phase: int, line: int) -> None:
        """Keep the fault PyYAML would meet first: the shallowest list or mapping's, the
        earliest of a level; in a mapping, its keys' before merges, and those before values."""
        depth = len(self._open)
        rank = (depth, self._open[-1] if depth else -1, phase, line)
        if self._fault is None or rank < self._rank:
            self._fault, self._rank = fault, rank
