"""The few WordprocessingML bits python-docx has no API for: fonts per script, rules, fields."""

from __future__ import annotations

from typing import Protocol

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

__all__ = [
    "bottom_rule",
    "default_fonts",
    "keep_row_together",
    "page_field",
    "repeat_as_header",
    "script_fonts",
]

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Schema order of the siblings that must follow each added element (Word refuses other orders).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
_AFTER_TBLHEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


class _HasRunProperties(Protocol):
    def get_or_add_rPr(self) -> CT_RPr: ...


def script_fonts(owner: _HasRunProperties, name: str, *, lang: str | None = None) -> None:
    """One typeface for every script, theme fonts removed (they win over a named font)."""
    fonts = owner.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    if lang is not None:
        _language(owner.get_or_add_rPr(), lang)


def _language(properties: CT_RPr, lang: str) -> None:
    element = properties.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        properties.insert_element_before(element, *_AFTER_LANG)
    for attribute in ("w:val", "w:eastAsia"):
        element.set(qn(attribute), lang)


def default_fonts(document: Document, name: str) -> None:
    """The document defaults (docDefaults) in the same typeface, so no part falls back."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = None if defaults is None else defaults.find(qn("w:rPrDefault"))
    run_properties = None if properties is None else properties.find(qn("w:rPr"))
    if isinstance(run_properties, CT_RPr):
        script_fonts(_Holder(run_properties), name)


class _Holder:
    """An existing rPr seen as the owner `script_fonts` expects."""

    def __init__(self, properties: CT_RPr) -> None:
        self.properties = properties

    def get_or_add_rPr(self) -> CT_RPr:
        return self.properties


def bottom_rule(paragraph: Paragraph, *, size_eighths: int = 6) -> None:
    """A solid line under the paragraph, as wide as the paragraph between its indents."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attribute, value in (("val", "single"), ("sz", str(size_eighths))):
        bottom.set(qn(f"w:{attribute}"), value)
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    properties.insert_element_before(borders, *_AFTER_PBDR)


def page_field(run: Run) -> None:
    """The run shows the page number (a PAGE field Word and LibreOffice update)."""
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    placeholder = OxmlElement("w:t")
    placeholder.text = "2"  # shown until the reader's application updates the field
    for element in (_field_char("begin"), instruction, _field_char("separate")):
        run._r.append(element)
    run._r.append(placeholder)
    run._r.append(_field_char("end"))


def _field_char(kind: str) -> BaseOxmlElement:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def repeat_as_header(row: _Row) -> None:
    """The row repeats at the top of each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.insert_element_before(header, *_AFTER_TBLHEADER)


def keep_row_together(row: _Row) -> None:
    """The row never breaks across pages (a signature block stays whole)."""
    properties = row._tr.get_or_add_trPr()
    properties.insert_element_before(OxmlElement("w:cantSplit"), *_AFTER_CANTSPLIT)
