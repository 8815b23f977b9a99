"""Word (DOCX) with python-docx: the Title style, then Heading 1 to 4, so Word's navigation pane
shows the agenda. Paragraphs are written straight into the body's XML with the styles' ids looked
up once: python-docx's own ``add_paragraph`` looks the style up each time, too slow for 10,000
notes. Text goes in as text nodes (never markup), without control characters."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from lxml import etree

from workshop.domain.synthesis import Synthesis
from workshop.domain.typography import NBSP
from workshop.results.export import Format, plots, richtext
from workshop.results.export.layout import (
    Facts,
    Figure,
    Grid,
    Heading,
    Intro,
    NoteLine,
    Notes,
    Plot,
    Terms,
    Text,
    layout,
)

LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-US"}
SOFT = "5B6675"
ACCENT = "0F4C81"
STAR_COLOR = "B7791F"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_T, W_BR, W_VAL = (
    qn("w:p"),
    qn("w:pPr"),
    qn("w:pStyle"),
    qn("w:r"),
    qn("w:rPr"),
    qn("w:t"),
    qn("w:br"),
    qn("w:val"),
)


class _Writer:
    def __init__(self, document):
        self.document = document
        self.body = document.element.body
        self.end = self.body.find(qn("w:sectPr"))
        self.styles: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        if name not in self.styles:
            self.styles[name] = self.document.styles[name].style_id
        return self.styles[name]

    def paragraph(
        self, style: str | None = None, page_break: bool = False, keep_next: bool = False, indent=None, after=None
    ):
        p = etree.Element(W_P)
        if style or page_break or keep_next or indent or after is not None:
            ppr = etree.SubElement(p, W_PPR)
            if style:
                etree.SubElement(ppr, W_PSTYLE).set(W_VAL, self.style_id(style))
            if keep_next:
                etree.SubElement(ppr, qn("w:keepNext"))
            if page_break:
                etree.SubElement(ppr, qn("w:pageBreakBefore"))
            if after is not None:
                spacing = etree.SubElement(ppr, qn("w:spacing"))
                spacing.set(qn("w:after"), str(after))
            if indent:
                left, hanging = indent
                tabs = etree.SubElement(ppr, qn("w:tabs"))
                tab = etree.SubElement(tabs, qn("w:tab"))
                tab.set(W_VAL, "left")
                tab.set(qn("w:pos"), str(left))
                ind = etree.SubElement(ppr, qn("w:ind"))
                ind.set(qn("w:left"), str(left))
                ind.set(qn("w:hanging"), str(hanging))
        self.end.addprevious(p)
        return p

    @staticmethod
    def run(parent, text: str, bold=False, italic=False, color=None, size=None, font=None, underline=False):
        r = etree.SubElement(parent, W_R)
        if bold or italic or color or size or font or underline:
            rpr = etree.SubElement(r, W_RPR)
            if font:
                fonts = etree.SubElement(rpr, qn("w:rFonts"))
                fonts.set(qn("w:ascii"), font)
                fonts.set(qn("w:hAnsi"), font)
            if bold:
                etree.SubElement(rpr, qn("w:b"))
            if italic:
                etree.SubElement(rpr, qn("w:i"))
            if color:
                etree.SubElement(rpr, qn("w:color")).set(W_VAL, color)
            if size:
                etree.SubElement(rpr, qn("w:sz")).set(W_VAL, str(size * 2))
            if underline:
                etree.SubElement(rpr, qn("w:u")).set(W_VAL, "single")
        for index, line in enumerate(text.split("\n")):
            if index:
                etree.SubElement(r, W_BR)
            t = etree.SubElement(r, W_T)
            t.text = line
            if line != line.strip():
                t.set(XML_SPACE, "preserve")
        return r

    def hyperlink(self, parent, url: str, text: str, **formatting):
        rel = self.document.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = etree.SubElement(parent, qn("w:hyperlink"))
        link.set(qn("r:id"), rel)
        self.run(link, text, color=ACCENT, underline=True, **formatting)


def _note(writer: _Writer, line: NoteLine, numbered: bool, w) -> None:
    if numbered:
        p = writer.paragraph(indent=(567, 567), after=60)  # 1 cm hanging: "12.<tab>text"
        writer.run(p, f"{line.number}.\t", color=SOFT)
    else:
        p = writer.paragraph("List Bullet")
    if line.star:
        writer.run(p, "★ ", color=STAR_COLOR, bold=True)
    writer.run(p, line.text)
    marks = list(line.marks)
    if line.cite is not None:
        marks.append(w.cite(line.cite))
    if marks:
        writer.run(p, " — " + " · ".join(marks), color=SOFT, size=9)


LIST_STYLES = {
    False: ("List Bullet", "List Bullet 2", "List Bullet 3"),
    True: ("List Number", "List Number 2", "List Number 3"),
}


def _intro(writer: _Writer, paragraphs: list[richtext.Paragraph]) -> None:
    for paragraph in paragraphs:
        if paragraph.kind == "item":
            styles = LIST_STYLES[paragraph.number is not None]
            p = writer.paragraph(styles[min(paragraph.depth, len(styles) - 1)])
        elif paragraph.kind == "quote":
            p = writer.paragraph("Quote")
        else:
            p = writer.paragraph(keep_next=paragraph.kind == "heading")
        for run in paragraph.runs:
            formatting = {
                "bold": run.bold or paragraph.kind == "heading",
                "italic": run.italic,
                "font": "Courier New" if run.code or paragraph.kind == "pre" else None,
            }
            if run.href:
                writer.hyperlink(p, run.href, run.text, **formatting)
            else:
                writer.run(p, run.text, **formatting)


def _grid(document, writer: _Writer, grid: Grid, width: int) -> None:
    columns = len(grid.header)
    table = document.add_table(rows=1 + len(grid.rows), cols=columns)
    table.style = document.styles["Light List Accent 1"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # The first column names the row (a block's title, a sector): it gets the room.
    first = Emu(int(width * (0.42 if columns > 2 else 0.7)))
    widths = [first] + [Emu((width - first) // (columns - 1))] * (columns - 1)
    for column, grid_column in enumerate(table._tbl.tblGrid.iterchildren(qn("w:gridCol"))):
        grid_column.set(qn("w:w"), str(int(widths[column].twips)))  # what LibreOffice reads
    for row_index, values in enumerate([grid.header] + grid.rows):
        cells = table.rows[row_index].cells
        bold = row_index == 0 or (grid.total and row_index == len(grid.rows))
        for column, value in enumerate(values):
            cells[column].width = widths[column]
            paragraph = cells[column].paragraphs[0]
            run = paragraph.add_run(value)
            run.bold = bold
            run.font.size = Pt(9.5)
            if grid.numeric[column]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    writer.paragraph()  # python-docx put the table before the section properties, where we write


FIGURE_MAX_HEIGHT = Cm(13)  # a portrait photo leaves room for its caption on the page


def _figure(document, writer: _Writer, figure: Figure, width: int) -> None:
    """The photo as wide as the text (less, when it stands upright), its caption under it."""
    paragraph = document.add_paragraph()  # python-docx's, before the section properties like ours
    paragraph.paragraph_format.keep_with_next = True
    shown = min(width, int(FIGURE_MAX_HEIGHT * figure.width / max(figure.height, 1)))
    picture = paragraph.add_run().add_picture(io.BytesIO(figure.jpeg), width=Emu(shown))
    picture._inline.docPr.set("descr", figure.caption)  # the alternative text Word reads out
    writer.run(writer.paragraph("Caption"), figure.caption)


CHART_WIDTH = Cm(15.5)


def _plot(document, writer: _Writer, plot: Plot, width: int) -> None:
    """The chart as a picture (PNG, its title as the alternative text), its caption, then its data."""
    words = plots.Words(plot.title, tuple(plot.categories), tuple(plot.series), plot.value_label)
    writer.run(writer.paragraph("Caption", keep_next=True), plot.title, bold=True)
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    picture = paragraph.add_run().add_picture(
        io.BytesIO(plots.png(plot.chart, words)), width=Emu(min(width, CHART_WIDTH))
    )
    picture._inline.docPr.set("descr", plot.title)
    _grid(document, writer, plot.grid, width)


def _terms(writer: _Writer, terms: Terms) -> None:
    """One paragraph: « jeunes (4) · rencontres (2) · … », the counts in the accent colour."""
    p = writer.paragraph()
    for index, (term, _count, shown) in enumerate(terms.items):
        if index:
            writer.run(p, " · ", color=SOFT)
        writer.run(p, term, bold=True)
        writer.run(p, f"{NBSP}({shown})", color=ACCENT)


def _footer(document, text: str) -> None:
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text + " · ")
    run.font.size = Pt(8.5)
    run.font.color.rgb = RGBColor.from_string(SOFT)
    # A PAGE field: Word and LibreOffice put the page number in.
    field_run = paragraph.add_run()
    field_run.font.size = Pt(8.5)
    field_run.font.color.rgb = RGBColor.from_string(SOFT)
    begin, instruction, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(XML_SPACE, "preserve")
    instruction.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    field_run._r.append(begin)
    field_run._r.append(instruction)
    field_run._r.append(end)


def _language(document, tag: str) -> None:
    """The proofing language of every text (Word's spelling checker, hyphenation)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = etree.SubElement(rpr, qn("w:lang"))
    lang.set(W_VAL, tag)
    lang.set(qn("w:eastAsia"), tag)
    lang.set(qn("w:bidi"), tag)


def render(synthesis: Synthesis) -> bytes:
    w, elements = layout(synthesis)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = Cm(2)
    section.bottom_margin = Cm(2)
    _language(document, LANGUAGE_TAGS.get(synthesis.language, synthesis.language))

    properties = document.core_properties
    moment = synthesis.cover.generated_at or dt.datetime.now(dt.UTC)
    properties.title = f"{w['title']} – {w.text(synthesis.cover.title)}"[:255]
    properties.subject = w.text(synthesis.cover.title)[:255]
    properties.author = (w.text(synthesis.cover.organiser) or synthesis.cover.code)[:255]
    properties.last_modified_by = properties.author
    properties.language = LANGUAGE_TAGS.get(synthesis.language, synthesis.language)
    properties.keywords = synthesis.cover.code
    properties.comments = w["cover_note"]
    properties.created = moment.replace(tzinfo=None)
    properties.modified = moment.replace(tzinfo=None)
    properties.revision = 1
    properties.category = w["title"]

    writer = _Writer(document)
    # The template's first (empty) paragraph, if any, goes: the title opens the document.
    for paragraph in list(writer.body.iterchildren(W_P)):
        writer.body.remove(paragraph)

    for element in elements:
        if isinstance(element, Heading):
            style = "Title" if element.level == 0 else f"Heading {min(element.level, 4)}"
            p = writer.paragraph(style, page_break=element.page_break)
            writer.run(p, element.text)
        elif isinstance(element, Text):
            if element.style == "subtitle":
                writer.run(writer.paragraph("Subtitle"), element.text)
            elif element.style == "quote":
                writer.run(writer.paragraph("Quote"), element.text)
            elif element.style == "small":
                writer.run(writer.paragraph(), element.text, color=SOFT, size=9, italic=True)
            elif element.style == "meta":
                writer.run(writer.paragraph(), element.text, color=SOFT)
            else:
                writer.run(writer.paragraph(), element.text)
        elif isinstance(element, Facts):
            for item in element.items:
                writer.run(writer.paragraph("List Bullet"), item)
        elif isinstance(element, Grid):
            _grid(document, writer, element, section.page_width - section.left_margin - section.right_margin)
        elif isinstance(element, Notes):
            for line in element.lines:
                _note(writer, line, element.numbered, w)
        elif isinstance(element, Intro):
            _intro(writer, element.paragraphs)
        elif isinstance(element, Figure):
            _figure(document, writer, element, section.page_width - section.left_margin - section.right_margin)
        elif isinstance(element, Terms):
            _terms(writer, element)
        elif isinstance(element, Plot):
            _plot(document, writer, element, section.page_width - section.left_margin - section.right_margin)
    _footer(document, f"{w['title']} – {w.text(synthesis.cover.title)}")

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FORMAT = Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", render)
