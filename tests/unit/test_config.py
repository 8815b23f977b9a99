"""Settings from the environment: a wrong value is refused at start-up with its name."""

from pathlib import Path

import pytest

from workshop.config import from_environment


def test_times_are_shown_in_the_venue_zone(tmp_path: Path):
    assert from_environment(tmp_path, {})["BABEL_DEFAULT_TIMEZONE"] == "America/Toronto"
    chosen = from_environment(tmp_path, {"WORKSHOP_TIMEZONE": "Europe/Paris"})
    assert chosen["BABEL_DEFAULT_TIMEZONE"] == "Europe/Paris"


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "America/"])
def test_an_unknown_time_zone_is_refused_by_name(tmp_path: Path, name: str):
    with pytest.raises(ValueError, match="WORKSHOP_TIMEZONE"):
        from_environment(tmp_path, {"WORKSHOP_TIMEZONE": name})


def test_the_presence_interval_is_a_number_of_seconds(tmp_path: Path):
    assert from_environment(tmp_path, {})["WORKSHOP_PRESENCE_INTERVAL"] == 1.0
    assert from_environment(tmp_path, {"WORKSHOP_PRESENCE_INTERVAL": "0.25"})["WORKSHOP_PRESENCE_INTERVAL"] == 0.25
