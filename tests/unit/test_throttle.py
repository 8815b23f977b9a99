"""The presence throttle: the first change goes at once, the ones that follow wait for the interval."""

from workshop.realtime.presence import Throttle


def test_first_change_goes_at_once_and_the_next_ones_wait():
    throttle = Throttle(1.0)
    assert throttle.hit("A", 10.0) is True
    assert throttle.hit("A", 10.2) is False
    assert throttle.hit("A", 10.5) is False
    assert throttle.waiting()
    assert throttle.due(10.9) == []  # the interval has not passed yet
    assert throttle.due(11.0) == ["A"]  # the two deferred changes go as one
    assert throttle.due(11.5) == []
    assert not throttle.waiting()


def test_workshops_are_throttled_apart():
    throttle = Throttle(1.0)
    assert throttle.hit("A", 0.0) and throttle.hit("B", 0.1)
    assert not throttle.hit("A", 0.5)
    assert throttle.due(1.05) == ["A"]
    assert throttle.hit("B", 1.2) is True


def test_a_change_after_a_deferred_update_waits_a_whole_interval_again():
    throttle = Throttle(1.0)
    throttle.hit("A", 0.0)
    throttle.hit("A", 0.3)
    assert throttle.due(1.0) == ["A"]
    assert throttle.hit("A", 1.4) is False
    assert throttle.due(1.9) == []
    assert throttle.due(2.0) == ["A"]


def test_zero_interval_sends_every_change():
    throttle = Throttle(0.0)
    assert all(throttle.hit("A", 5.0) for _ in range(3))
    assert throttle.due(5.0) == []
