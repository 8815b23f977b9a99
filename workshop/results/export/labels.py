"""The words of the results documents, in the workshop's language (not the reader's).

The document is content handed out in the language the workshop ran in, whoever downloads it, so
its few fixed words live here per language rather than in the interface's catalogue. A language
without an entry gets English. Every text goes through ``Wording.text``: printable, and spaced the
French way in French.
"""

from __future__ import annotations

import datetime as dt

from workshop.domain.methods import OPEN_SPACE, WORLD_CAFE
from workshop.domain.synthesis import NoteGroup, NoteItem, Origin, RoundPart, Synthesis
from workshop.domain.typography import NBSP, format_date, format_dates, format_number, prose

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Résultats préliminaires",
        "file": "resultats-preliminaires",
        "participation": "Participation",
        "highlights": "Faits saillants",
        "highlights_intro": "Les idées que l’animation et les hôtes de table ont retenues.",
        "themes": "Thèmes",
        "other_themes": "Autres thèmes",
        "harvest": "Récolte en plénière",
        "harvest_intro": "Les idées clés que chaque table a rapportées en plénière.",
        "annex": "Annexe – Toutes les notes",
        "annex_intro": "Chaque note visible, numérotée dans l’ordre du programme ; "
        "les numéros cités dans le document y renvoient.",
        "no_notes": "Aucune note.",
        "quiet_blocks": "Blocs sans contribution",
        "quiet_blocks_intro": "Aucune note n’y a été écrite (ou toutes ont été masquées).",
        "other_notes": "Autres notes",
        "outside_rounds": "Notes hors rondes",
        "outside_blocks": "Notes hors programme",
        "round": "Ronde {n}",
        "table": "Table {n}",
        "no_table": "Sans table",
        "session": "Session",
        "convener": "Proposée par {name}",
        "harvest_short": "Récolte",
        "number": "n°" + NBSP + "{n}",
        "votes_1": "{n} pastille",
        "votes_n": "{n} pastilles",
        "star": "Fait saillant",
        "question": "Question",
        "participants_1": "{n} personne a rejoint l’atelier (un nom, une table ou une note)",
        "participants_n": "{n} personnes ont rejoint l’atelier (un nom, une table ou une note)",
        "contributors_1": "{n} personne a écrit au moins une note",
        "contributors_n": "{n} personnes ont écrit au moins une note",
        "visible_1": "{n} note",
        "visible_n": "{n} notes",
        "with_harvest": "{text}, dont {n} de la récolte en plénière",
        "hidden_1": "{n} note masquée par l’animation n’est pas reproduite.",
        "hidden_n": "{n} notes masquées par l’animation ne sont pas reproduites.",
        "block": "Bloc",
        "notes": "Notes",
        "people": "Personnes",
        "hidden": "Masquées",
        "total": "Total",
        "by_table": "Notes par table",
        "by_sector": "Participants par secteur",
        "sector": "Secteur",
        "table_column": "Table",
        "participants_column": "Participants",
        "no_sector": "Secteur non précisé",
        "page": "Page",
        "key-point": "Point clé",
        "proposal": "Proposition",
        "action": "Action",
        "owner": "Responsable : {name}",
        "due": "Échéance : {date}",
        "sessions": "Actes des sessions",
        "sessions_intro": "Le compte rendu de chaque session, tel que ses participants l’ont écrit.",
        "no_report": "Pas de compte rendu.",
        "priorities": "Priorités retenues par les pastilles",
        "action_plan": "Plan d’action",
        "votes_column": "Pastilles",
        "kept_column": "Retenue",
        "kept": "retenue pour le plan d’action",
        "yes": "oui",
        "cover_note": "Document préliminaire, produit à la fin de l’atelier à partir des notes des participants.",
        "key_terms": "Termes clés",
        "key_terms_intro": "Les mots les plus fréquents des notes visibles du bloc, avec le nombre de notes qui les emploient.",
        "term_column": "Terme",
        "chart": "Graphique",
        "chart_notes_per_block": "Notes par bloc",
        "chart_participation": "Participation : notes par table et par ronde",
        "chart_votes": "Le vote par pastilles : les sessions classées",
        "chart_data": "Les données du graphique",
        "harvest_series": "Récolte",
        "photos": "Photos",
        "photos_1": "{n} photo de nappe ou de tableau",
        "photos_n": "{n} photos de nappes ou de tableaux",
        "photo_table": "Photo de la nappe de la table {table}, ronde {round}",
        "photo_table_only": "Photo de la nappe de la table {table}",
        "photo_topic": "Photo du tableau de la session « {title} »",
        "am": "avant-midi",
        "pm": "après-midi",
        "day": "toute la journée",
        "evening": "soirée",
        WORLD_CAFE: "Café de conversation (World Café)",
        OPEN_SPACE: "Forum ouvert (Open Space)",
    },
    "en": {
        "title": "Preliminary results",
        "file": "preliminary-results",
        "participation": "Participation",
        "highlights": "Highlights",
        "highlights_intro": "The ideas the facilitator and the table hosts picked out.",
        "themes": "Themes",
        "other_themes": "Other themes",
        "harvest": "Harvest in plenary",
        "harvest_intro": "The key ideas each table brought to the plenary.",
        "annex": "Annex – Every note",
        "annex_intro": "Every visible note, numbered in the order of the agenda; "
        "the numbers cited in this document refer to it.",
        "no_notes": "No notes.",
        "quiet_blocks": "Blocks without contributions",
        "quiet_blocks_intro": "No note was written in them (or every note was hidden).",
        "other_notes": "Other notes",
        "outside_rounds": "Notes outside the rounds",
        "outside_blocks": "Notes outside the agenda",
        "round": "Round {n}",
        "table": "Table {n}",
        "no_table": "No table",
        "session": "Session",
        "convener": "Convened by {name}",
        "harvest_short": "Harvest",
        "number": "no." + NBSP + "{n}",
        "votes_1": "{n} dot",
        "votes_n": "{n} dots",
        "star": "Highlight",
        "question": "Question",
        "participants_1": "{n} person joined (a name, a table or a note)",
        "participants_n": "{n} people joined (a name, a table or a note)",
        "contributors_1": "{n} person wrote at least one note",
        "contributors_n": "{n} people wrote at least one note",
        "visible_1": "{n} note",
        "visible_n": "{n} notes",
        "with_harvest": "{text}, {n} of them from the harvest in plenary",
        "hidden_1": "{n} note hidden by the facilitator is left out.",
        "hidden_n": "{n} notes hidden by the facilitator are left out.",
        "block": "Block",
        "notes": "Notes",
        "people": "People",
        "hidden": "Hidden",
        "total": "Total",
        "by_table": "Notes per table",
        "by_sector": "Participants per sector",
        "sector": "Sector",
        "table_column": "Table",
        "participants_column": "Participants",
        "no_sector": "No sector given",
        "page": "Page",
        "key-point": "Key point",
        "proposal": "Proposal",
        "action": "Action",
        "owner": "Owner: {name}",
        "due": "Due: {date}",
        "sessions": "Session reports",
        "sessions_intro": "Each session’s report, as its participants wrote it.",
        "no_report": "No report.",
        "priorities": "Priorities kept by the dots",
        "action_plan": "Action plan",
        "votes_column": "Dots",
        "kept_column": "Kept",
        "kept": "kept for action planning",
        "yes": "yes",
        "cover_note": "Preliminary document, made at the end of the workshop from the participants’ notes.",
        "key_terms": "Key terms",
        "key_terms_intro": "The most frequent words of the block’s visible notes, with the number of notes that use each.",
        "term_column": "Term",
        "chart": "Chart",
        "chart_notes_per_block": "Notes per block",
        "chart_participation": "Participation: notes per table and round",
        "chart_votes": "The dot vote: the sessions ranked",
        "chart_data": "The chart’s data",
        "harvest_series": "Harvest",
        "photos": "Photos",
        "photos_1": "{n} photo of a tablecloth or flipchart",
        "photos_n": "{n} photos of tablecloths and flipcharts",
        "photo_table": "Photo of the tablecloth of table {table}, round {round}",
        "photo_table_only": "Photo of the tablecloth of table {table}",
        "photo_topic": "Photo of the flipchart of the session “{title}”",
        "am": "morning",
        "pm": "afternoon",
        "day": "all day",
        "evening": "evening",
        WORLD_CAFE: "World Café",
        OPEN_SPACE: "Open Space",
    },
}

STAR = "★"


class Wording:
    """The document's words and the way it writes texts, dates and numbers, for one language."""

    def __init__(self, language: str):
        self.language = language if language in WORDS else "en"
        self.words = WORDS[self.language]
        self.french = self.language == "fr"

    def __getitem__(self, key: str) -> str:
        return self.text(self.words[key])

    def text(self, value: str | None) -> str:
        return prose(value, self.language)

    def number(self, value: int) -> str:
        return format_number(value, self.language)

    def count(self, key: str, value: int) -> str:
        """ "3 notes", "1 note" (French counts 0 and 1 as singular)."""
        singular = value in (0, 1) if self.french else value == 1
        return self.text(self.words[f"{key}_{'1' if singular else 'n'}"].format(n=self.number(value)))

    def date(self, day: dt.date, weekday: bool = False) -> str:
        return format_date(day, self.language, weekday=weekday)

    def dates(self, days) -> str:
        return format_dates(list(days), self.language)

    def part(self, part: str) -> str:
        return self.words.get(part, part)

    def method(self, method: str) -> str:
        return self.words.get(method, method)

    def block_when(self, title: str, day: dt.date | None, part: str | None) -> str:
        """« CRISTALLISER LA VISION (5 mai 2010, après-midi) »"""
        if day is None:
            return self.text(title)
        return self.text(f"{title} ({self.date(day)}, {self.part(part)})" if part else f"{title} ({self.date(day)})")

    def when(self, day: dt.date | None, part: str | None) -> str:
        """« mardi 4 mai 2010, avant-midi »"""
        if day is None:
            return ""
        shown = self.date(day, weekday=True)
        return f"{shown}, {self.part(part)}" if part else shown

    def round_name(self, title: str | None, position: int | None) -> str:
        if title:
            return self.text(title)
        return self.words["round"].format(n=(position or 0) + 1)

    def round_heading(self, round_: RoundPart) -> str:
        """« Ronde 1 – Quels sont les principaux défis en lien avec cet objectif ? »"""
        name = self.round_name(round_.title, round_.position)
        return f"{name} – {self.text(round_.question)}" if round_.question else name

    def table_name(self, number: int | None) -> str:
        return self.words["table"].format(n=number) if number is not None else self.words["no_table"]

    def group_heading(self, group: NoteGroup) -> str | None:
        """« Table 1 – Mobiliser les acteurs… », « Session – … »; None for a round's own notes."""
        if group.kind == "table":
            name = self.table_name(group.table)
            return f"{name} – {self.text(group.title)}" if group.title else name
        if group.kind == "topic":
            return f"{self.words['session']} – {self.text(group.title)}"
        return None

    def session_meta(self, group: NoteGroup) -> str | None:
        """« Proposée par Ana · 13 h 45 – 14 h 30 · Espace A · 5 votes · retenue pour le plan d’action »"""
        parts = []
        if group.convener:
            parts.append(self.words["convener"].format(name=group.convener))
        parts += [p for p in (group.slot, group.space) if p]
        if group.votes:
            parts.append(self.count("votes", group.votes))
        if group.selected:
            parts.append(self.words["kept"])
        return self.text(" · ".join(parts)) if parts else None

    def photo_caption(self, table: int | None, round_position: int | None, topic_title: str | None = None) -> str:
        """« Photo de la nappe de la table 2, ronde 1 », « Photo du tableau de la session « … » »"""
        if topic_title is not None:
            return self.text(self.words["photo_topic"].format(title=topic_title))
        if round_position is not None:
            return self.text(self.words["photo_table"].format(table=table, round=round_position + 1))
        return self.text(self.words["photo_table_only"].format(table=table))

    def cite(self, number: int) -> str:
        return self.words["number"].format(n=number)

    def origin(self, origin: Origin, harvest: bool = False) -> str:
        """« Table 2 · Ronde 1 · 4 mai 2010, avant-midi »: where a note was written."""
        parts = []
        if origin.topic_title:
            parts.append(
                f"{self.words['session']} « {origin.topic_title} »"
                if self.french
                else f"{self.words['session']} “{origin.topic_title}”"
            )
        elif origin.table is not None:
            parts.append(self.table_name(origin.table))
        if harvest:
            parts.append(self.words["harvest_short"])
        elif origin.round is not None:
            parts.append(self.round_name(origin.round_title, origin.round_position))
        if origin.day is not None:
            parts.append(f"{self.date(origin.day)}, {self.part(origin.part)}" if origin.part else self.date(origin.day))
        return self.text(" · ".join(parts))

    def note_marks(self, note: NoteItem) -> list[str]:
        """The small print after a note: a report's tag, an action's owner and date, its votes."""
        marks = []
        if note.tag in ("key-point", "proposal", "action"):
            marks.append(self[note.tag])
        if note.owner:
            marks.append(self.text(self.words["owner"].format(name=note.owner)))
        if note.due:
            marks.append(self.text(self.words["due"].format(date=self.date(note.due))))
        if note.votes:
            marks.append(self.count("votes", note.votes))
        return marks

    def file_name(self, synthesis: Synthesis, extension: str) -> str:
        """resultats-preliminaires-CC2010-2010-05-05.docx: the workshop's code and its last day."""
        cover = synthesis.cover
        day = max(cover.dates) if cover.dates else (cover.generated_at.date() if cover.generated_at else None)
        stem = "-".join(p for p in (self.words["file"], _slug(cover.code), day.isoformat() if day else "") if p)
        return f"{stem}.{extension}"


def _slug(code: str) -> str:
    return "".join(c for c in code if c.isascii() and c.isalnum())
