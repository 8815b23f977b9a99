"""The results' charts drawn with matplotlib (Agg, DejaVu Sans): SVG for the HTML document, PNG
for the DOCX. The data comes from ``workshop.domain.charts``, the words from the layout.

The SVG goes inline into a document whose policy allows no script and no style but its own
sheet: text is drawn as paths (no font needed by the reader), and the file is cleaned on an
allow-list of elements and attributes (``clean_svg``): no script, no style element or attribute
(turned into presentation attributes), no link outside the file, no event handler.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from workshop.domain.charts import NOTES_PER_BLOCK, PARTICIPATION, Chart

# Colours that stay apart in print and for most colour blindnesses (Okabe–Ito), then the accent.
PALETTE = ("#0f4c81", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
ACCENT = "#0f4c81"
KEPT = "#1d6b37"
INK = "#1b2430"
SOFT = "#5b6675"
WIDTH_INCHES = 6.4
LABEL_WIDTH = 38  # characters of a category's title per line, at most two lines


@dataclass(frozen=True)
class Words:
    """What the chart says, in the document's language."""

    title: str
    categories: tuple[str, ...]
    series: tuple[str, ...]
    value_label: str


@lru_cache(maxsize=1)
def _matplotlib():
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "svg.fonttype": "path",
            "svg.hashsalt": "workshop-charts",  # the same ids every time: the same file for the same data
            "axes.edgecolor": SOFT,
            "axes.labelcolor": INK,
            "xtick.color": SOFT,
            "ytick.color": INK,
        }
    )
    from matplotlib.figure import Figure

    return Figure


def _short(text: str) -> str:
    lines = textwrap.wrap(" ".join(text.split()), LABEL_WIDTH) or [""]
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")


def figure(chart: Chart, words: Words):
    """The matplotlib figure of a chart: horizontal bars for titles (blocks, sessions), grouped
    columns for the tables of a World Café block."""
    Figure = _matplotlib()
    count = len(chart.categories)
    if chart.kind == PARTICIPATION:
        fig = Figure(figsize=(WIDTH_INCHES, 3.2))
        axes = fig.add_subplot()
        width = 0.8 / max(len(chart.series), 1)
        for index, series in enumerate(chart.series):
            offsets = [c + (index - (len(chart.series) - 1) / 2) * width for c in range(count)]
            bars = axes.bar(offsets, series.values, width, label=words.series[index], color=PALETTE[index % 8])
            axes.bar_label(bars, padding=2, fontsize=8, color=INK)
        axes.set_xticks(range(count), words.categories)
        axes.set_ylabel(words.value_label)
        axes.yaxis.get_major_locator().set_params(integer=True)
        if len(chart.series) > 1:
            axes.legend(
                frameon=False, fontsize=8, ncols=min(len(chart.series), 4), loc="upper left", bbox_to_anchor=(0, 1.16)
            )
    else:
        fig = Figure(figsize=(WIDTH_INCHES, 0.9 + 0.42 * count))
        axes = fig.add_subplot()
        positions = list(range(count))
        left = [0] * count
        for index, series in enumerate(chart.series):
            colours = [PALETTE[index % 8]] * count
            if chart.kind != NOTES_PER_BLOCK:
                colours = [KEPT if c.marked else ACCENT for c in chart.categories]
            bars = axes.barh(positions, series.values, 0.62, left=left, label=words.series[index], color=colours)
            left = [a + b for a, b in zip(left, series.values)]
            if index == len(chart.series) - 1:
                axes.bar_label(bars, labels=[str(v) for v in left], padding=3, fontsize=8, color=INK)
        axes.set_yticks(positions, [_short(c) for c in words.categories])
        axes.invert_yaxis()  # the first (the most voted, the first block) on top
        axes.set_xlabel(words.value_label)
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.set_xlim(0, max(left + [1]) * 1.12)
        if len(chart.series) > 1:
            axes.legend(frameon=False, fontsize=8, loc="lower right")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    fig.set_layout_engine("constrained")
    return fig


def png(chart: Chart, words: Words, dpi: int = 150) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = figure(chart, words)
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def svg(chart: Chart, words: Words) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    fig = figure(chart, words)
    FigureCanvasSVG(fig)
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return clean_svg(out.getvalue(), words.title)


# --------------------------------------------------------------------------- the SVG's allow-list

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ELEMENTS = {"svg", "g", "defs", "path", "use", "rect", "line", "polyline", "polygon", "circle", "ellipse", "clipPath"}
ATTRIBUTES = {
    "id", "d", "x", "y", "width", "height", "viewBox", "version", "transform", "points", "x1", "x2", "y1", "y2",
    "cx", "cy", "r", "rx", "ry", "clip-path", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-linecap", "stroke-linejoin", "stroke-opacity", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "preserveAspectRatio",
}  # fmt: skip
_SAFE_VALUE = re.compile(r"^(?:url\(#[\w.-]+\)|[\w#.,%\s()+-]*)$")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def clean_svg(data: bytes, label: str) -> str:
    """The SVG with only drawing left: known elements and attributes, styles as attributes, links
    to its own ids only; labelled for a screen reader (the table after it holds the numbers)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    root = etree.fromstring(data, parser)
    for element in list(root.iter()):
        if (
            not isinstance(element.tag, str)
            or element.tag.split("}")[0].strip("{") != SVG
            or _local(element.tag) not in ELEMENTS
        ):
            if element is not root and element.getparent() is not None:
                element.getparent().remove(element)
            continue
        kept: dict[str, str] = {}
        for name, value in element.attrib.items():
            local = _local(name)
            if local == "style":
                for declaration in value.split(";"):
                    key, _, shown = declaration.partition(":")
                    key, shown = key.strip(), shown.strip()
                    if key in ATTRIBUTES and _SAFE_VALUE.match(shown):
                        kept[key] = shown
            elif local == "href" and value.startswith("#") and re.fullmatch(r"#[\w.-]+", value):
                kept[f"{{{XLINK}}}href"] = value
            elif local in ATTRIBUTES and "}" not in name and _SAFE_VALUE.match(value):
                kept.setdefault(local, value)
        element.attrib.clear()
        for name, value in kept.items():
            element.set(name, value)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "chart__svg")
    return etree.tostring(root, encoding="unicode")
