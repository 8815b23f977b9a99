"""The serving process tunes the garbage collector once the app is loaded."""

import gc
import typing

from workshop import serving


def test_the_loaded_app_is_frozen_and_full_collections_are_rarer():
    before = gc.get_threshold()
    try:
        gc.unfreeze()
        serving.tune_garbage_collector()
        assert gc.get_threshold() == serving.GC_THRESHOLDS
        assert gc.get_freeze_count() > 1000  # the modules and objects alive at start-up
        young, _middle, old = serving.GC_THRESHOLDS
        assert young > before[0] and old > before[2]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_serve_loads_the_app_then_tunes_the_collector(monkeypatch):
    calls = []
    monkeypatch.setattr(serving, "tune_garbage_collector", lambda: calls.append("tuned"))

    class App:
        config: typing.ClassVar[dict] = {"WORKSHOP_PROXIES": 0}

    load = serving._behind_proxies(lambda: calls.append("loaded") or App())
    assert isinstance(load(), App)
    assert calls == ["loaded", "tuned"]
