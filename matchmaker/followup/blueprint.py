"""The follow-through area's blueprint: public pages under /call, staff actions under /staff/pairs."""
from flask import Blueprint

bp = Blueprint("followup", __name__)
