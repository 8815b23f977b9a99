"""Extensions, created unbound and bound to the app in ``create_app``."""
from __future__ import annotations

from flask_babel import Babel
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy

from .models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
# Threading with simple-websocket: one process, no monkey-patching (eventlet is unmaintained).
socketio = SocketIO(async_mode="threading")
