"""The Open Space loop of the 2009 Forum ouvert in real browsers: a phone proposes a topic, the board
shows it in the marketplace, the console places it on the wall (from the keyboard) and another one
by drag and drop, the phone says "I'm here" and the board counts it, then a dot vote reaches the
board's ranking."""

from __future__ import annotations

import json
import re

import pytest

from browser.conftest import CONSOLE, SECONDS, console_url, open_board, open_os_console, open_phone

pytestmark = pytest.mark.browser


def test_the_open_space_loop_on_phone_console_and_board(forum_server, windows):
    from playwright.sync_api import expect

    code = forum_server["code"]
    board = open_board(windows, forum_server)
    expect(board.locator("#agenda")).to_be_visible()
    console = open_os_console(windows, forum_server)
    phone = open_phone(windows, forum_server)

    # The phone proposes a topic; the board's marketplace shows it.
    title = "Loger les familles <b>nouvellement</b> arrivées"
    phone.locator("#topic-title").fill(title)
    phone.locator("#topic-form button[type=submit]").tap()
    mine = phone.locator('#os-topics .os-topic[data-status="sent"]', has_text=title)
    expect(mine).to_have_count(1, timeout=SECONDS)
    topic = mine.get_attribute("data-topic")
    expect(board.locator(f'#agenda-market .board-topic[data-topic="{topic}"]')).to_contain_text(title, timeout=SECONDS)
    expect(board.locator("#agenda b")).to_have_count(0)
    # The phone's outbox lets go once its acknowledgement is in (the board may show it first).
    phone.wait_for_function(
        "key => localStorage.getItem(key) === '[]'", arg=f"workshop:{code}:topic-outbox", timeout=SECONDS
    )

    # The facilitator places it from the keyboard: the topic's Options, then "Place on…".
    card = console.locator(f'#os-market-list .os-ctopic[data-topic="{topic}"]')
    expect(card).to_be_visible(timeout=SECONDS)
    card.locator("summary").focus()
    console.keyboard.press("Enter")
    select = console.locator(f"#place-{topic}")
    expect(select).to_be_visible()
    cell = select.locator("option").nth(2).get_attribute("value")  # the first slot's second space
    select.select_option(cell)
    select.press("Tab")
    console.keyboard.press("Enter")  # the Place button
    slot, space = json.loads(cell)
    placed = board.locator(f'.agenda-grid__cell[data-slot="{slot}"][data-space="{space}"]')
    expect(placed).to_have_attribute("data-topic", topic, timeout=SECONDS)
    expect(placed.locator(".board-topic__title")).to_have_text(title)
    expect(board.locator(f'#agenda-market .board-topic[data-topic="{topic}"]')).to_have_count(0)

    # A topic proposed on someone's behalf, then dragged onto a free cell.
    console.locator("#os-propose-title-input").fill("La participation citoyenne")
    console.locator("#os-propose-convener").fill("Marc")
    console.locator("#os-propose button[type=submit]").click()
    other = console.locator("#os-market-list .os-ctopic", has_text="La participation citoyenne")
    expect(other).to_be_visible(timeout=SECONDS)
    target = console.locator('.os-gcell[data-free="true"]').last
    target_slot, target_space = target.get_attribute("data-slot"), target.get_attribute("data-space")
    other.locator(".os-ctopic__grip").drag_to(target)
    dropped = board.locator(f'.agenda-grid__cell[data-slot="{target_slot}"][data-space="{target_space}"]')
    expect(dropped.locator(".board-topic__title")).to_have_text("La participation citoyenne", timeout=SECONDS)

    # The phone says "I'm here" on the wall: the board counts one person in the session.
    phone.locator(f'#os-wall .os-cell[data-topic="{topic}"] button').tap()
    expect(phone.locator(f'.os-card[data-role="attending"][data-topic="{topic}"]')).to_be_visible(timeout=SECONDS)
    expect(placed.locator(".board-topic__here")).to_have_attribute("data-count", "1", timeout=SECONDS)

    # The vote: two dots each; the phone gives one; the board's ranking shows it.
    console.locator("#os-dots").fill("2")
    console.locator("#os-vote-open button[type=submit]").click()
    expect(board.locator('#agenda[data-view="vote"]')).to_have_count(1, timeout=SECONDS)
    expect(phone.locator("#os-vote")).to_be_visible(timeout=SECONDS)
    expect(phone.locator(".os-dots")).to_have_attribute("data-left", "2", timeout=SECONDS)
    phone.locator(f'.os-ballot__item[data-target="topic:{topic}"] [data-vote="cast"]').tap()
    expect(phone.locator(".os-dots")).to_have_attribute("data-left", "1", timeout=SECONDS)
    ranked = board.locator(f'#ranking .ranking__item[data-topic="{topic}"]')
    expect(ranked).to_have_attribute("data-votes", "1", timeout=SECONDS)
    expect(board.locator("#ranking .ranking__item").first).to_have_attribute("data-topic", topic)
    # The phone's outbox lets go once its acknowledgement is in (the board may show it first).
    phone.wait_for_function(
        "key => localStorage.getItem(key) === '[]'", arg=f"workshop:{code}:dot-outbox", timeout=SECONDS
    )

    # Counts read as French does (0 and 1 are singular), on the board and the console.
    expect(ranked.locator(".ranking__votes")).to_have_text("1 pastille")
    unvoted = board.locator("#ranking .ranking__item", has_text="La participation citoyenne")
    expect(unvoted.locator(".ranking__votes")).to_have_text("0 pastille")
    expect(console.locator(f'.os-ctopic[data-topic="{topic}"] .os-ctopic__dots')).to_have_text(
        "1 pastille", timeout=SECONDS
    )

    # The vote closes; the phone plans an action with a deadline, written as a French date.
    console.locator("#os-vote-close button[type=submit]").click()
    action = phone.locator(f'.os-ranking__item[data-topic="{topic}"]')
    expect(action.locator(".os-ranking__votes")).to_have_text("1 pastille", timeout=SECONDS)
    action.locator("[name=text]").fill("Ouvrir un guichet unique")
    action.locator("input[name=owner]").fill("Marie")
    action.locator("input[name=due]").fill("2009-06-12")
    action.locator("button[type=submit]").tap()
    expect(action.locator(".os-note__meta")).to_have_text("Marie · d’ici le 12 juin 2009", timeout=SECONDS)
    expect(console.locator("#os-plan-list [data-note] .os-cplan__who")).to_have_text(
        "Marie · d’ici le 12 juin 2009", timeout=SECONDS
    )
    windows.close_and_check()


def test_the_wall_editor_adds_a_time_slot_that_the_board_shows(forum_server, windows):
    """The console's wall editor: its rows (cloned from the partial's <template>) hold the wall's
    slots and spaces, each with its own labels; a slot added from the keyboard reaches the board."""
    from playwright.sync_api import expect

    board = open_board(windows, forum_server)
    expect(board.locator("#agenda")).to_be_visible()
    console = open_os_console(windows, forum_server)
    console.locator("#os-wall-editor summary").click()
    slots = console.locator("#os-slots li")
    expect(slots.first).to_be_visible(timeout=SECONDS)
    before = slots.count()
    assert before >= 1
    first = slots.first.locator("input")
    label = first.input_value()
    assert label
    expect(first).to_have_attribute("name", "slot")
    expect(first).to_have_attribute("aria-label", "Plage horaire 1")
    expect(slots.first.locator("[data-remove]")).to_have_attribute(
        "aria-label", re.compile(rf"^Retirer la plage horaire «\s{re.escape(label)}\s»$")
    )
    assert console.locator("#os-spaces li input[name=space]").count() >= 1

    console.locator('[data-add="slot"]').click()
    expect(slots).to_have_count(before + 1)
    added = slots.nth(before).locator("input")
    expect(added).to_be_focused()
    expect(added).to_have_attribute("aria-label", f"Plage horaire {before + 1}")
    console.keyboard.type("Fin de journée <b>17 h</b>")
    console.locator("#os-wall-form button[type=submit]").click()
    expect(board.locator("#agenda")).to_contain_text("Fin de journée <b>17 h</b>", timeout=SECONDS)
    expect(board.locator("#agenda b")).to_have_count(0)


def test_the_wall_editor_opened_before_the_console_is_connected_fills_once_it_is(forum_server, windows):
    """On a slow network the facilitator may open the wall editor before the console's socket has
    joined: the editor is then empty, and fills with the wall's slots as soon as the state comes
    (an empty editor saved would have sent an empty wall)."""
    from playwright.sync_api import expect

    context = windows.context(**CONSOLE)
    context.route("**/socket.io/**", lambda route: route.abort())  # the socket cannot connect yet
    console = windows.page(console_url(forum_server), context=context, watch=False)
    expect(console.locator("#os-panel")).to_be_visible()
    console.locator("#os-wall-editor summary").click()
    expect(console.locator("#os-wall-editor")).to_have_attribute("open", "")
    slots = console.locator("#os-slots li")
    expect(slots).to_have_count(0)

    context.unroute("**/socket.io/**")  # the network comes back: the client reconnects by itself
    expect(slots.first).to_be_visible(timeout=SECONDS)
    expect(slots.first.locator("input")).not_to_have_value("")
    assert console.locator("#os-spaces li").count() >= 1
