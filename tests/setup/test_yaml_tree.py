"""The set-up file's YAML built from the parser's events gives what PyYAML's safe loader gives."""

from __future__ import annotations

import pytest
import yaml

from bot.setup import SetupError
from bot.setup.loading import load_tree

SAME = [
    "base: &b {code: x, name: y}\nother: {<<: *b, name: z}\n",
    "a: &a {code: 1, kk: 5}\nb: &b {code: 2, name: 3}\nc: {<<: [*a, *b], zz: 1}\n",
    "a: &s x\nb: {*s : 1, y: 2}\nc: [*s, *s]\n",
    "t: 2026-06-01 08:00\nd: 2026-06-01\nc: 12:30\nn: ~\nb: yes\nf: .inf\no: 0o17\nh: 0x1f\n",
    "a: !!str 12\nb: !!int '3'\nc: !!binary aGVsbG8=\nd: !!float 1\n",
    "a: !!omap [{x: 1}, {y: 2}]\nb: !!set {p, q}\n",  # read PyYAML's way, from nodes
    "1: a\n'1': b\nnull: 1\n",
    "- a\n- b: c\n  d: [1.5, -2, 1_000]\n",
]


@pytest.mark.parametrize("text", SAME)
def test_a_document_reads_as_pyyaml_reads_it(text: str) -> None:
    assert load_tree(text, "vi") == yaml.safe_load(text)


def test_an_alias_stands_for_the_same_value() -> None:
    tree = load_tree("a: &l [1, 2]\nb: *l\n", "vi")
    assert tree["a"] is tree["b"]


REFUSED = [
    ("a: *nope\n", 1),  # an alias to no anchor
    ("a: &x 1\nb: &x 2\n", 2),  # an anchor given twice
    ("a: 1\n---\nb: 2\n", 2),  # two documents
    ("a: !foo bar\n", 1),  # a tag nobody knows
    ("a:\n  b: {<<: 1}\n", 2),  # a merge of a number
    ("? [1]\n: 2\n", 1),  # a list as a key
    ("a: =\n", 1),
]


@pytest.mark.parametrize(("text", "line"), REFUSED)
def test_a_fault_is_refused_on_the_line_pyyaml_gives(text: str, line: int) -> None:
    with pytest.raises(yaml.YAMLError) as pyyaml:
        yaml.safe_load(text)
    mark = getattr(pyyaml.value, "problem_mark", None)
    assert mark is not None and mark.line + 1 == line
    with pytest.raises(SetupError) as refused:
        load_tree(text, "vi")
    assert [str(problem) for problem in refused.value.problems] == [
        f"dòng {line}: tệp không phải YAML hợp lệ."
    ]


def test_a_syntax_fault_later_in_the_file_is_reported_before_a_repeated_key() -> None:
    """As PyYAML, the document is read whole before its values are constructed."""
    with pytest.raises(SetupError) as refused:
        load_tree("a: 1\na: 2\nb: [\n", "vi")
    [problem] = refused.value.problems
    assert problem.message == "tệp không phải YAML hợp lệ."
