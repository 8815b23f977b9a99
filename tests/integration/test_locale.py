"""French and English done properly: dates and numbers formatted for the page's language, plurals,
the language switch on every page, and ``<html lang>``.

Unlike the other page tests, these ask for both languages on purpose and assert the French.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.dates import format_time
from flask import Flask, render_template_string, request
from flask_babel import Babel
from pytz import timezone as pytz_timezone

from workshop import clock, i18n
from workshop.config import PROJECT_ROOT
from workshop.extensions import db

CAFE_2010 = PROJECT_ROOT / "sessions" / "cafe-conversation-2010.toml"
FORUM_2009 = PROJECT_ROOT / "sessions" / "forum-ouvert-2009.toml"
TRANSLATIONS = PROJECT_ROOT / "workshop" / "translations"

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


def html(response) -> str:
    return response.get_data(as_text=True)


def html_lang(page: str) -> str:
    return re.search(r"<html lang=\"(\w+)\"", page).group(1)


def switch_links(page: str) -> list[tuple[str, str, str]]:
    """The language switch's links: (href, hreflang, text); a page has one switch."""
    navs = re.findall(r'<nav class="langs[^"]*"[^>]*>.*?</nav>', page, re.S)
    assert len(navs) == 1, f"{len(navs)} language switches on the page"
    nav = re.search(r'<nav class="langs[^"]*"[^>]*>(.*?)</nav>', page, re.S)
    return [
        (href.replace("&amp;", "&"), code, text)
        for href, code, text in re.findall(r'<a href="([^"]*)" hreflang="(\w+)" lang="\w+">([^<]*)</a>', nav.group(1))
    ]


def login(client, keys) -> None:
    response = client.get(f"/w/{keys['code']}/facilitate?key={keys['facilitator_key']}")
    assert response.status_code == 302


@pytest.fixture
def cafe(create_workshop):
    return create_workshop(CAFE_2010)


# --------------------------------------------------------------------------- the filters, without a database


@pytest.fixture(scope="module")
def babel_app():
    """The app's filters on a bare Flask app: the page's language from ``?lang=``."""
    app = Flask(__name__)
    app.config.update(BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS), BABEL_DEFAULT_TIMEZONE="America/Toronto")
    Babel(app, locale_selector=lambda: request.args.get("lang", "fr"))
    i18n.init_app(app)
    return app


def render(app: Flask, lang: str, source: str, **values) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        return render_template_string(source, **values)


@pytest.mark.parametrize(
    "source, values, french, english",
    [
        ("{{ day|long_date }}", {"day": dt.date(2010, 5, 4)}, "mardi 4 mai 2010", "Tuesday, May 4, 2010"),
        ("{{ day|long_date }}", {"day": "2010-05-04"}, "mardi 4 mai 2010", "Tuesday, May 4, 2010"),
        ("{{ day|medium_date }}", {"day": dt.date(2009, 9, 1)}, "1 sept. 2009", "Sep 1, 2009"),
        # 18:30 UTC is 14:30 in Quebec City (daylight time): 24-hour in French.
        ("{{ t|time_of_day }}", {"t": dt.datetime(2010, 5, 4, 18, 30, tzinfo=dt.UTC)}, "14:30", f"2:30{NNBSP}PM"),
        ("{{ t|time_of_day }}", {"t": dt.datetime(2010, 5, 4, 18, 30)}, "14:30", f"2:30{NNBSP}PM"),  # naive: UTC
        (
            "{{ t|date_time }}",
            {"t": dt.datetime(2010, 5, 5, 2, 5, tzinfo=dt.UTC)},
            "mardi 4 mai 2010 à 22:05",
            f"Tuesday, May 4, 2010 at 10:05{NNBSP}PM",
        ),
        ("{{ days|date_span }}", {"days": ["2010-05-04", "2010-05-05"]}, "4–5 mai 2010", f"May 4{THIN}–{THIN}5, 2010"),
        ("{{ days|date_span }}", {"days": ["2010-05-04"]}, "mardi 4 mai 2010", "Tuesday, May 4, 2010"),
        (
            "{{ days|date_span }}",
            {"days": ["2010-05-04", "2010-05-12"]},
            "4 mai 2010 et 12 mai 2010",
            "May 4, 2010 and May 12, 2010",
        ),
        ("{{ days|date_span }}", {"days": []}, "", ""),
        ("{{ n|number }}", {"n": 1234567}, f"1{NNBSP}234{NNBSP}567", "1,234,567"),
        ("{{ n|decimal }}", {"n": 3.25}, "3,2", "3.2"),
        ("{{ n|decimal(2) }}", {"n": 1234.5}, f"1{NNBSP}234,5", "1,234.5"),
        ("{{ n|percent }}", {"n": 0.42}, f"42{NBSP}%", "42%"),
        (
            "{{ ngettext('%(count)s session', '%(count)s sessions', n, count=n|number) }}",
            {"n": 0},
            "0 atelier",
            "0 sessions",
        ),
        (
            "{{ ngettext('%(count)s session', '%(count)s sessions', n, count=n|number) }}",
            {"n": 1},
            "1 atelier",
            "1 session",
        ),
        (
            "{{ ngettext('%(count)s dot', '%(count)s dots', n, count=n|number) }}",
            {"n": 1500},
            f"1{NNBSP}500 pastilles",
            "1,500 dots",
        ),
    ],
)
def test_the_filters_follow_the_page_s_language(babel_app, source, values, french, english):
    assert render(babel_app, "fr", source, **values) == french
    assert render(babel_app, "en", source, **values) == english


def test_a_moment_s_day_is_the_day_where_the_workshop_runs(babel_app):
    late = dt.datetime(2010, 5, 5, 2, 5, tzinfo=dt.UTC)  # 22:05 on 4 May in Quebec City
    assert render(babel_app, "fr", "{{ t|long_date }}", t=late) == "mardi 4 mai 2010"
    assert render(babel_app, "fr", "{{ d|long_date }}", d="2010-05-31x") == ""


def test_the_filters_leave_nothing_for_no_value(babel_app):
    source = "{{ none|long_date }}|{{ none|medium_date }}|{{ none|time_of_day }}|{{ none|date_time }}|{{ none|number }}"
    assert render(babel_app, "fr", source, none=None) == "||||"


# --------------------------------------------------------------------------- the console and the phone


def test_the_console_s_agenda_says_the_day_in_the_page_s_language(client, cafe):
    login(client, cafe)
    french = html(client.get(f"/w/{cafe['code']}/facilitate?lang=fr"))
    assert html_lang(french) == "fr"
    meta = re.findall(r'<p class="block__meta">([^<]*)<', french)
    assert [" ".join(m.split()) for m in meta] == [
        "mardi 4 mai 2010 · avant-midi · Café de conversation",
        "mardi 4 mai 2010 · après-midi · Café de conversation",
        "mercredi 5 mai 2010 · avant-midi · Café de conversation",
        "mercredi 5 mai 2010 · après-midi · Forum ouvert",
    ]
    assert "2010-05-04" not in french.split('id="agenda-title"', 1)[1]
    english = html(client.get(f"/w/{cafe['code']}/facilitate?lang=en"))
    assert html_lang(english) == "en"
    meta = [" ".join(m.split()) for m in re.findall(r'<p class="block__meta">([^<]*)<', english)]
    assert meta[0] == "Tuesday, May 4, 2010 · morning · World Café"
    assert meta[3] == "Wednesday, May 5, 2010 · afternoon · Open Space"


def test_the_console_s_open_space_phases_say_their_day(client, create_workshop):
    forum = create_workshop(FORUM_2009)
    login(client, forum)
    french = html(client.get(f"/w/{forum['code']}/facilitate?lang=fr"))
    phases = re.findall(r'<span class="os-phase__when">([^<]*)</span>', french)
    assert phases[0] == "lundi 15 juin 2009 · avant-midi"
    english = html(client.get(f"/w/{forum['code']}/facilitate?lang=en"))
    assert re.findall(r'<span class="os-phase__when">([^<]*)</span>', english)[0] == "Monday, June 15, 2009 · morning"


def test_the_phone_says_the_workshop_s_days_and_counts_in_the_page_s_language(client, cafe):
    french = html(client.get(f"/j/{cafe['code']}?lang=fr"))
    assert html_lang(french) == "fr"
    assert '<p class="phone-head__when">4–5 mai 2010</p>' in french
    assert "Une idée par note, 500 caractères au plus." in french
    assert "0 / 500 caractères" in french
    english = html(client.get(f"/j/{cafe['code']}?lang=en"))
    assert html_lang(english) == "en"
    assert f'<p class="phone-head__when">May 4{THIN}–{THIN}5, 2010</p>' in english
    assert "One idea per note, at most 500 characters." in english


def test_the_rotation_plan_counts_with_plurals(client, cafe):
    login(client, cafe)
    page = html(client.get(f"/w/{cafe['code']}/facilitate?lang=fr"))
    plan = re.search(r'id="plan-link"[^>]*href="([^"]+)"', page.replace("\n", " ")).group(1)
    french = " ".join(html(client.get(f"{plan}?lang=fr")).split())
    assert "mardi 4 mai 2010 · avant-midi · Café de conversation · 0 personne, 5 tables, 3 rondes" in french
    english = " ".join(html(client.get(f"{plan}?lang=en")).split())
    assert "Tuesday, May 4, 2010 · morning · World Café · 0 people, 5 tables, 3 rounds" in english


def test_the_proceedings_say_when_they_were_made_and_count_sessions(app, client, create_workshop, monkeypatch):
    forum = create_workshop(FORUM_2009)
    moment = dt.datetime(2009, 6, 16, 15, 5, tzinfo=dt.UTC)  # the same day from Hawaii to Japan
    monkeypatch.setattr(clock, "now", lambda: moment)
    headers = {"Authorization": f"Bearer {forum['secretariat_key']}"}
    french = " ".join(html(client.get(f"/w/{forum['code']}/proceedings?lang=fr", headers=headers)).split())
    # In the app's time zone (BABEL_DEFAULT_TIMEZONE), whichever it is: 24-hour in French.
    timezone = pytz_timezone(app.extensions["babel"].default_timezone)
    made = [" ".join(format_time(moment, "short", tzinfo=timezone, locale=locale).split()) for locale in ("fr", "en")]
    assert re.fullmatch(r"\d\d:\d\d", made[0]) and made[1].endswith((" AM", " PM"))
    assert f"État au mardi 16 juin 2009 à {made[0]}" in french
    assert "lundi 15 juin 2009 · avant-midi · 0 atelier" in french  # French: 0 takes the singular
    english = " ".join(html(client.get(f"/w/{forum['code']}/proceedings?lang=en", headers=headers)).split())
    assert f"As it stands on Tuesday, June 16, 2009 at {made[1]}" in english
    assert "Monday, June 15, 2009 · morning · 0 sessions" in english


# --------------------------------------------------------------------------- the language and its switch


def test_the_switch_changes_the_language_and_keeps_the_page(client, cafe):
    """From the French phone of table 2 to the English one, and back; the cookie remembers."""
    page = html(client.get(f"/j/{cafe['code']}?table=2"))
    assert html_lang(page) == "fr"  # the workshop's language
    [(href, code, text)] = switch_links(page)
    assert (href, code, text) == (f"/j/{cafe['code']}?table=2&lang=en", "en", "English")
    response = client.get(href)
    english = html(response)
    assert html_lang(english) == "en" and 'data-table="2"' in english and "Choose your table" in english
    assert "lang=en" in response.headers["Set-Cookie"]
    again = html(client.get(f"/j/{cafe['code']}"))  # no ?lang=: the cookie
    assert html_lang(again) == "en"
    [(back, code, text)] = switch_links(again)
    assert (back, code, text) == (f"/j/{cafe['code']}?lang=fr", "fr", "Français")
    assert html_lang(html(client.get(back))) == "fr"
    assert html_lang(html(client.get(f"/j/{cafe['code']}"))) == "fr"


def test_the_switch_is_on_every_page_and_says_the_other_language(app, client, cafe, create_workshop):
    forum = create_workshop(FORUM_2009)
    code = cafe["code"]
    with app.app_context():
        from workshop.agenda.workshops import find_workshop

        block = find_workshop(code).blocks[0].id
    anonymous = [
        f"/j/{code}",
        f"/w/{code}/board",
        f"/w/{code}/cards",
        f"/w/{code}/facilitate",
        f"/w/{code}/results",
        f"/w/{code}/curate",
        f"/w/{code}/results.docx",
        "/j/NOPE42",
    ]
    with_key = [
        f"/w/{code}/facilitate",
        f"/w/{code}/curate",
        f"/w/{code}/results",
        f"/w/{code}/blocks/{block}/plan",
        f"/w/{forum['code']}/proceedings",
    ]
    for lang, other, name in (("fr", "en", "English"), ("en", "fr", "Français")):
        client.set_cookie("lang", lang)
        client.delete_cookie("session")
        for path in anonymous:
            page = html(client.get(path))
            assert html_lang(page) == lang, path
            assert (f"{path}?lang={other}", other, name) in switch_links(page), path
        login(client, cafe)
        login(client, forum)
        for path in with_key:
            response = client.get(path)
            assert response.status_code == 200, path
            assert html_lang(html(response)) == lang, path
            assert (f"{path}?lang={other}", other, name) in switch_links(html(response)), path


def test_the_switch_never_carries_a_key_nor_markup(client, cafe):
    code = cafe["code"]
    page = html(client.get(f"/w/{code}/results.md?key=wrong-key&lang=en"))
    assert response_ok_key_form(page)
    [(href, _code, _text)] = switch_links(page)
    assert href == f"/w/{code}/results.md?lang=fr"
    page = html(client.get(f'/j/{code}?table="><script>x</script>&lang=<b>'))
    assert "<script>x</script>" not in page
    [(href, _code, _text)] = switch_links(page)
    assert href == f"/j/{code}?table=%22%3E%3Cscript%3Ex%3C%2Fscript%3E&lang=en"


def response_ok_key_form(page: str) -> bool:
    return 'name="key"' in page and "wrong-key" not in page


def test_an_english_workshop_speaks_english_until_someone_switches(app, client, cafe):
    with app.app_context():
        from workshop.agenda.workshops import find_workshop

        find_workshop(cafe["code"]).language = "en"
        db.session.commit()
    page = html(client.get(f"/j/{cafe['code']}", headers={"Accept-Language": "fr"}))
    assert html_lang(page) == "en" and f'<p class="phone-head__when">May 4{THIN}–{THIN}5, 2010</p>' in page
    assert html_lang(html(client.get(f"/j/{cafe['code']}?lang=fr"))) == "fr"
    assert html_lang(html(client.get(f"/j/{cafe['code']}"))) == "fr"  # the person's choice, kept
