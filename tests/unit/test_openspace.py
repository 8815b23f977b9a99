from collections import Counter

import pytest

from workshop.domain.errors import WorkshopError
from workshop.domain.openspace import (
    AgendaWall,
    Dot,
    Vote,
    attendance,
    dot_budget,
    ranking,
    report_tag,
    top,
    topic_description,
    topic_title,
)

WALL = AgendaWall(slots=("s1", "s2"), spaces=("a", "b", "c"))


def code_of(action):
    with pytest.raises(WorkshopError) as error:
        action()
    return error.value.code


def test_placing_a_topic_fills_a_cell():
    wall = WALL.place("t1", 7, "s1", "a")
    assert wall.cell_of("t1") == ("s1", "a")
    assert wall.topic_at("s1", "a") == "t1"
    assert wall.cells() == [{"slot": "s1", "space": "a", "topic": "t1"}]


def test_moving_a_topic_frees_its_cell():
    wall = WALL.place("t1", 7, "s1", "a").place("t1", 7, "s2", "b")
    assert wall.topic_at("s1", "a") is None
    assert wall.cell_of("t1") == ("s2", "b")
    assert len(wall.placements) == 1


def test_one_topic_per_cell():
    wall = WALL.place("t1", 7, "s1", "a")
    assert code_of(lambda: wall.place("t2", 8, "s1", "a")) == "cell_taken"
    assert wall.place("t1", 7, "s1", "a") == wall  # placing it where it is changes nothing


def test_a_convener_holds_one_topic_per_slot():
    wall = WALL.place("t1", 7, "s1", "a")
    assert code_of(lambda: wall.place("t2", 7, "s1", "b")) == "convener_busy"
    assert wall.place("t2", 7, "s2", "b").cell_of("t2") == ("s2", "b")
    # Topics the facilitator proposed have no convener: no such limit.
    assert WALL.place("x", None, "s1", "a").place("y", None, "s1", "b").cell_of("y") == ("s1", "b")


@pytest.mark.parametrize("slot, space, code", [("s9", "a", "unknown_slot"), ("s1", "z", "unknown_space")])
def test_unknown_cells_are_refused(slot, space, code):
    assert code_of(lambda: WALL.place("t1", 1, slot, space)) == code


def test_removing_and_reshaping():
    wall = WALL.place("t1", 1, "s1", "a").place("t2", 2, "s2", "c")
    assert wall.remove("t1").cell_of("t1") is None
    reshaped, dropped = wall.reshape(["s1", "s2", "s3"], ["a", "b"])
    assert dropped == ["t2"] and reshaped.cell_of("t1") == ("s1", "a")


def test_topic_texts():
    assert topic_title("  Parler de logement  ") == "Parler de logement"
    assert code_of(lambda: topic_title("   ")) == "empty_title"
    assert code_of(lambda: topic_title("x" * 121)) == "too_long"
    assert topic_description("  ") is None
    assert code_of(lambda: topic_description("x" * 201)) == "too_long"
    assert report_tag(None) == "key-point"
    assert code_of(lambda: report_tag("secret")) == "bad_choice"


def test_dots_within_the_budget():
    vote = Vote(status="open", budget=2)
    vote, new = vote.cast(Dot("d1", 1, "topic:a"))
    assert new and vote.left(1) == 1
    vote, new = vote.cast(Dot("d2", 1, "topic:a"))  # several dots on one topic are allowed
    assert vote.counts()["topic:a"] == 2 and vote.left(1) == 0
    assert code_of(lambda: vote.cast(Dot("d3", 1, "topic:b"))) == "no_dots_left"
    assert vote.left(2) == 2


def test_the_same_dot_counts_once():
    vote, _ = Vote(status="open", budget=3).cast(Dot("d1", 1, "topic:a"))
    again, new = vote.cast(Dot("d1", 1, "topic:a"))
    assert not new and again == vote
    assert code_of(lambda: vote.cast(Dot("d1", 1, "topic:b"))) == "dot_used"
    assert code_of(lambda: vote.cast(Dot("d1", 2, "topic:a"))) == "dot_used"


def test_withdrawing_a_dot_gives_it_back():
    vote, _ = Vote(status="open", budget=1).cast(Dot("d1", 1, "topic:a"))
    vote, gone = vote.withdraw(1, "topic:a")
    assert gone.id == "d1" and vote.left(1) == 1
    assert code_of(lambda: vote.withdraw(1, "topic:a")) == "no_dot_here"


@pytest.mark.parametrize("status", ["none", "closed"])
def test_no_voting_unless_open(status):
    vote = Vote(status=status, budget=3)
    assert code_of(lambda: vote.cast(Dot("d", 1, "topic:a"))) == "vote_not_open"
    assert code_of(lambda: vote.withdraw(1, "topic:a")) == "vote_not_open"


def test_budget_limits():
    assert dot_budget(5) == 5
    for bad in (0, 51):
        assert code_of(lambda: dot_budget(bad)) == "out_of_range"


def test_ranking_and_top_k():
    counts = Counter({"b": 3, "c": 3, "a": 1})
    assert ranking(counts, ["a", "b", "c", "d"]) == [("b", 3), ("c", 3), ("a", 1), ("d", 0)]
    assert top(counts, ["a", "b", "c", "d"], 1) == ["b", "c"]  # a tie at the cut goes through
    assert top(counts, ["a", "b", "c", "d"], 3) == ["b", "c", "a"]
    assert top(counts, ["a", "b", "c", "d"], 10) == ["b", "c", "a"]  # no dot, no action plan


def test_attendance_counts_people_where_they_are_now():
    assert attendance({1: "a", 2: "a", 3: "b", 4: None}) == Counter({"a": 2, "b": 1})
