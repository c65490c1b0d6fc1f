"""Unbound Flask extensions, created once here and bound in the app factory."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from matchmaker.i18n import ParticleBabel
from matchmaker.models.base import Base

db = SQLAlchemy(model_class=Base)
mail = Mail()
babel = ParticleBabel()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
