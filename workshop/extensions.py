"""Extensions, created unbound and bound to the app in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from workshop.models.base import Base
from workshop.serving import socketio_async_mode

db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()  # every form carries a token; Socket.IO events are not forms
migrate = Migrate()
babel = Babel()
# gevent where `workshop serve` patched the standard library first, threading everywhere else
# (workshop/serving.py; never eventlet, unmaintained).
socketio = SocketIO(async_mode=socketio_async_mode())
