"""Every Socket.IO handler, registered by importing each feature's events (app.py imports this
module before ``socketio.init_app``). The handlers are written with ``workshop.realtime.handlers.handler``."""

from workshop.cafe import events as cafe_events  # noqa: F401
from workshop.curation import events as curation_events  # noqa: F401
from workshop.live import events as live_events  # noqa: F401
from workshop.openspace import events as openspace_events  # noqa: F401
from workshop.realtime import connections  # noqa: F401
