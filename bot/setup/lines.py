"""Where a set-up file's problems are: the line of each path, for the admin's editor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from bot.domain.i18n import gettext_for
from bot.setup.model import Problem, SetupError

__all__ = ["line_of", "located", "with_lines"]

_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def with_lines(error: SetupError, text: str | bytes, locale: str) -> SetupError:
    """The same error, each problem with the line its path starts on where found."""
    problems = located(error.problems, text, locale)
    return error if problems == list(error.problems) else SetupError(problems)


def located(problems: Sequence[Problem], text: str | bytes, locale: str) -> list[Problem]:
    """Each problem (or warning) with the line its path starts on (`dòng 30`) where found."""
    if not any(problem.path for problem in problems):
        return list(problems)
    try:
        # Composing builds nodes only, aliases shared: it costs less than the reading did.
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return list(problems)
    _ = gettext_for(locale)
    said = []
    for problem in problems:
        line = line_of(root, problem.path) if problem.path and not problem.at else None
        said.append(replace(problem, at=_("dòng {line}").format(line=line)) if line else problem)
    return said


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
