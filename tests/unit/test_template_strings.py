"""No template holds words a person reads outside ``{{ _() }}`` / ``{% trans %}``.

Each template of ``templates/`` is read twice. An HTML parser reads the source with every Jinja
construct masked (``{{ }}``, ``{% %}``, ``{# #}``, and whole ``{% trans %}`` blocks): what is left
is literal markup, so any word in a text node or in an attribute people read (title, alt,
placeholder, aria-label, label, an input button's value, the texts scripts show) is untranslated.
Jinja's lexer then reads the expressions: a string literal that looks like prose and is printed
outside ``_()``, ``gettext()`` or ``ngettext()`` is untranslated too. Only what is not language
passes: punctuation, symbols, digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

from workshop.config import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "templates"

# Attributes a person reads (or hears), whatever the element.
READ_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "label",
    "abbr",
    "summary",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "aria-placeholder",
    # texts the page's scripts show: a confirmation, a summary's two states
    "data-confirm",
    "data-choose",
    "data-change",
}
BUTTON_INPUTS = {"button", "submit", "reset"}
SKIPPED_ELEMENTS = {"script", "style"}  # JSON and CSS, never read as text
GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext"}
# Words that are not language, should a template ever print them as they are.
ALLOWED = {"CSV", "JSON", "HTML", "DOCX", "QR"}

MASK = "\x00"
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more: a word, not a symbol or a unit letter
PROSE_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*[.,;:!?…]*")


@dataclass(frozen=True)
class Finding:
    name: str
    line: int
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.name}:{self.line}: untranslated {self.where}: {self.text!r}"


# --------------------------------------------------------------------------- masking Jinja


def _construct_end(source: str, start: int, closer: str) -> int:
    """The index just past the closer of the construct opened at ``start``; quoted strings inside
    an expression may hold the closer."""
    index = start + 2
    quote = None
    while index < len(source):
        char = source[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = None
        elif closer != "#}" and char in "'\"":
            quote = char
        elif source.startswith(closer, index):
            return index + 2
        index += 1
    raise ValueError(f"unclosed Jinja construct at offset {start}")


def _blank(text: str) -> str:
    """The same length and the same line breaks, and nothing an HTML parser reads as a word."""
    return re.sub(r"[^\n]", MASK, text)


def mask_jinja(source: str, quiet_blocks: frozenset[str] = frozenset()) -> str:
    """The template with its Jinja constructs blanked in place (offsets and lines kept); a
    ``{% trans %}…{% endtrans %}`` block is blanked whole, its text being translated, and so are
    the ``quiet_blocks``: blocks the parent template places inside an attribute nobody reads
    (``{% block body_class %}``)."""
    out: list[str] = []
    index = 0
    in_trans = 0
    quiet = 0  # depth of block tags since a quiet block opened (0: not in one)
    while index < len(source):
        opener = source.find("{", index)
        while opener != -1 and source[opener + 1 : opener + 2] not in ("{", "%", "#"):
            opener = source.find("{", opener + 1)
        if opener == -1:
            out.append(_blank(source[index:]) if in_trans or quiet else source[index:])
            break
        literal = source[index:opener]
        out.append(_blank(literal) if in_trans or quiet else literal)
        closer = {"{": "}}", "%": "%}", "#": "#}"}[source[opener + 1]]
        end = _construct_end(source, opener, closer)
        construct = source[opener:end]
        if closer == "%}":
            tag = construct[2:-2].strip("-+ \t\n").split(None, 1)
            if tag and tag[0] == "trans":
                in_trans += 1
            elif tag and tag[0] == "endtrans":
                in_trans -= 1
            elif tag and tag[0] == "block" and (quiet or (tag[1:] and tag[1].split()[0] in quiet_blocks)):
                quiet += 1
            elif tag and tag[0] == "endblock" and quiet:
                quiet -= 1
        if closer == "}}" and re.search(r"</?$", source[:opener]):
            out.append("t" + "-" * (len(construct) - 1))  # a tag's name: still a tag to the parser
        else:
            out.append(_blank(construct))
        index = end
    return "".join(out)


EXTENDS = re.compile(r"""{%-?\s*extends\s+["']([^"']+)["']""")
BLOCK = re.compile(r"{%-?\s*block\s+(\w+)")
OPEN_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)\s*=\s*(?:"[^"]*|'[^']*|[^\s"'>]*)$""")


def attribute_blocks(source: str, load=None) -> dict[str, str]:
    """The blocks that the parent templates (``{% extends %}``, followed up) place inside a tag,
    each with the attribute that holds it (``{"body_class": "class"}``)."""
    load = load or (lambda name: (TEMPLATES / name).read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    parent = EXTENDS.search(source)
    while parent:
        text = load(parent.group(1))
        masked = mask_jinja(text)
        for block in BLOCK.finditer(text):
            before = masked[: block.start()]
            if before.rfind("<") > before.rfind(">"):
                attribute = OPEN_ATTRIBUTE.search(before[before.rfind("<") :])
                found.setdefault(block.group(1), attribute.group(1).lower() if attribute else "")
        parent = EXTENDS.search(text)
    return found


# --------------------------------------------------------------------------- reading the markup


def _words(text: str) -> str | None:
    """The readable part of a literal, or None when it is no language."""
    visible = " ".join(text.replace(MASK, " ").split())
    if not visible:
        return None
    words = WORD.findall(visible)
    return visible if any(word not in ALLOWED for word in words) else None


class _MarkupReader(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.findings: list[Finding] = []
        self.skipping: list[str] = []

    def _report(self, where: str, text: str | None, line: int | None = None) -> None:
        if text is not None:
            self.findings.append(Finding(self.name, line or self.getpos()[0], where, text))

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in READ_ATTRIBUTES:
                self._report(f"attribute {name} of <{tag}>", _words(value))
        # An input button shows its value; a <button>'s value is only sent with the form.
        if tag == "input" and values.get("type", "").strip().lower() in BUTTON_INPUTS and "value" in values:
            self._report(f"value of <{tag}>", _words(values["value"]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skipping.pop()

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if self.skipping:
            return
        text = _words(data)
        if text is not None:
            # The line of the first word, not of the text node's leading blank lines.
            first = data.replace(MASK, " ")
            offset = len(first) - len(first.lstrip())
            self._report("text", text, self.getpos()[0] + data[:offset].count("\n"))


def markup_findings(name: str, source: str, load=None) -> list[Finding]:
    blocks = attribute_blocks(source, load)
    reader = _MarkupReader(name)
    # A block the parent puts in an attribute people read is read like that attribute.
    for block in re.finditer(r"{%-?\s*block\s+(\w+)\s*-?%}(.*?){%-?\s*endblock", source, re.S):
        attribute = blocks.get(block.group(1))
        if attribute in READ_ATTRIBUTES:
            line = source[: block.start(2)].count("\n") + 1
            reader._report(f"block {block.group(1)} (attribute {attribute})", _words(mask_jinja(block.group(2))), line)
    reader.feed(mask_jinja(source, frozenset(blocks)))
    reader.close()
    return reader.findings


# --------------------------------------------------------------------------- reading the expressions


def _prose(text: str) -> bool:
    """A string literal a person would read: words with spaces, or one capitalised word."""
    pieces = text.split()
    if not pieces or not all(PROSE_WORD.fullmatch(piece) for piece in pieces):
        return False
    return len(pieces) > 1 or bool(re.match(r"[^\W\d_][a-zà-ÿ]", text) and text[0].isupper())


def expression_findings(name: str, source: str, environment: Environment | None = None) -> list[Finding]:
    """String literals printed by ``{{ }}`` that look like prose and are not inside a gettext call."""
    environment = environment or Environment(extensions=["jinja2.ext.i18n"])
    findings = []
    in_print = False
    calls: list[str | None] = []  # the function each open bracket belongs to (None: not a call)
    previous = None
    for token in environment.lexer.tokenize(source, name):
        if token.type == "variable_begin":
            in_print, calls = True, []
        elif token.type == "variable_end":
            in_print = False
        elif in_print and token.type in ("lparen", "lbracket", "lbrace"):
            called = token.type == "lparen" and previous is not None and previous.type == "name"
            calls.append(previous.value if called else None)
        elif in_print and token.type in ("rparen", "rbracket", "rbrace"):
            if calls:
                calls.pop()
        elif (
            in_print
            and token.type == "string"
            and not GETTEXT_CALLS.intersection(filter(None, calls))
            and _prose(token.value)
            and token.value not in ALLOWED
        ):
            findings.append(Finding(name, token.lineno, "string in {{ }}", token.value))
        previous = token
    return findings


def template_findings(name: str, source: str, load=None) -> list[Finding]:
    return markup_findings(name, source, load) + expression_findings(name, source)


def template_files() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


# --------------------------------------------------------------------------- the tests


def test_the_templates_are_found():
    names = {path.relative_to(TEMPLATES).as_posix() for path in template_files()}
    assert {"base.html", "live/facilitate.html", "live/participant.html", "errors/404.html"} <= names


@pytest.mark.parametrize("path", template_files(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_no_untranslated_text_in_templates(path: Path):
    name = path.relative_to(TEMPLATES).as_posix()
    findings = template_findings(name, path.read_text(encoding="utf-8"))
    assert not findings, "\n".join(str(finding) for finding in findings)


@pytest.mark.parametrize("path", template_files(), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_the_mask_leaves_what_jinja_reads_as_data(path: Path):
    """The masking agrees with Jinja's own lexer: the literal text left is the lexer's data."""
    source = path.read_text(encoding="utf-8")
    environment = Environment(extensions=["jinja2.ext.i18n"])
    data = "".join(value for _line, kind, value in environment.lex(source) if kind == "data")
    squeeze = lambda text: re.sub(r"\s+|(?<=<)t-+|(?<=</)t-+", "", text.replace(MASK, ""))  # noqa: E731
    # trans blocks' text is data to the lexer and blanked by the mask: compare without them.
    if "{% trans" in source or "{%- trans" in source:
        assert set(squeeze(mask_jinja(source))) <= set(squeeze(data))
    else:
        assert squeeze(mask_jinja(source)) == squeeze(data)


# --- the checker catches what it must, and lets pass what it may


def findings_of(source: str) -> list[str]:
    return [f"{f.line}:{f.where}:{f.text}" for f in template_findings("planted.html", source)]


def test_a_planted_text_node_is_caught_with_its_line():
    source = (
        '{% extends "base.html" %}\n{% block main %}\n<p>{{ _("Fine") }}</p>\n<p>Not translated</p>\n{% endblock %}'
    )
    assert findings_of(source) == ["4:text:Not translated"]


@pytest.mark.parametrize(
    "markup, where",
    [
        ('<img src="x.png" alt="A QR code">', "attribute alt of <img>"),
        ('<a href="#" title="Open it">{{ _("Open") }}</a>', "attribute title of <a>"),
        ('<input type="text" placeholder="Your name">', "attribute placeholder of <input>"),
        ('<nav aria-label="Workshop pages"></nav>', "attribute aria-label of <nav>"),
        ('<optgroup label="Elsewhere"></optgroup>', "attribute label of <optgroup>"),
        ('<input type="submit" value="Send">', "value of <input>"),
        ('<select><option value="">None chosen</option></select>', "text"),
        ('<form data-confirm="Really delete?"></form>', "attribute data-confirm of <form>"),
        ('<button type="submit">Start {{ round.title }}</button>', "text"),
        ("<p>{{ x if y else 'Not named' }}</p>", "string in {{ }}"),
        ('<p>{{ "Nobody" }}</p>', "string in {{ }}"),
    ],
)
def test_planted_untranslated_strings_are_caught(markup, where):
    found = findings_of(markup)
    assert len(found) == 1 and found[0].split(":")[1] == where, found


@pytest.mark.parametrize(
    "markup",
    [
        '<p>{{ _("Table %(number)s", number=3) }} · {{ count }} — 12 ★ → +5</p>',
        "<p>{% trans %}Hello {{ name }}, welcome{% endtrans %}</p>",
        "<p>{% trans count=n %}{{ count }} note{% pluralize %}{{ count }} notes{% endtrans %}</p>",
        '<p>{{ ngettext("%(num)s dot", "%(num)s dots", n) }}</p>',
        '<a href="{{ url_for(\'static\', filename=\'x.css\') }}" class="button button--small" data-event="round:start">&nbsp;</a>',
        '<input type="hidden" name="id" value="note-form">',
        '<button type="submit" name="table" value="{{ t.number }}">{{ _("Table") }}</button>',
        '<button type="submit" name="view" value="results">{{ _("Results") }}</button>',
        "<span class=\"{{ 'button--primary button--wide' }}\" data-status=\"{{ 'none' if x else 'closed' }}\"></span>",
        '<script type="application/json">{"key": "Some words"}</script>',
        '{# A comment says what it likes #}<p>{{ _("{{ not }} a construct") }}</p>',
        '<p>{{ _("Done") if ok else gettext("Not done") }}</p>',
        '<span class="tag">.{{ ext }}</span><span aria-hidden="true">★ </span>',
    ],
)
def test_what_is_not_language_passes(markup):
    assert findings_of(markup) == []


def test_line_numbers_count_masked_constructs():
    source = "{#- a\nmulti-line\ncomment -#}\n{% if x %}\n<p title=\"{{ _('ok') }}\">\n  Loose words</p>{% endif %}"
    assert findings_of(source) == ["6:text:Loose words"]
