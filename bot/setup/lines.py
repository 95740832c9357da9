"""Where a set-up file's problems are: the line of each path, for the admin's editor."""

from __future__ import annotations

import re
from dataclasses import replace

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from bot.domain.i18n import gettext_for
from bot.setup.model import SetupError

__all__ = ["line_of", "with_lines"]

_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def with_lines(error: SetupError, text: str | bytes, locale: str) -> SetupError:
    """The same problems, each with the line its path starts on (`dòng 30`) where found."""
    if not any(problem.path for problem in error.problems):
        return error
    try:
        # Composing builds nodes only, aliases shared: it costs less than the reading did.
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return error
    _ = gettext_for(locale)
    located = []
    for problem in error.problems:
        line = line_of(root, problem.path) if problem.path and not problem.at else None
        at = _("dòng {line}").format(line=line) if line else problem.at
        located.append(replace(problem, at=at))
    return SetupError(located)


def line_of(root: Node | None, path: str) -> int | None:
    """The 1-based line of `pledges[0].targets.sa-thay` in the tree, or of the nearest part of
    it that exists; None when even its first step is not there."""
    node, line = root, None
    for index, key in _STEP.findall(path):
        found = _child(node, int(index) if index else None, key)
        if found is None:
            break
        line, node = found
    return line


def _child(node: Node | None, index: int | None, key: str) -> tuple[int, Node] | None:
    """The line of a sequence's item or a mapping's key, and the node under it."""
    if isinstance(node, SequenceNode) and index is not None and index < len(node.value):
        item = node.value[index]
        return item.start_mark.line + 1, item
    if isinstance(node, MappingNode) and index is None:
        for key_node, value in node.value:
            if str(key_node.value) == key:
                return key_node.start_mark.line + 1, value
    return None
