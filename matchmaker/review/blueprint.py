"""The review area's blueprint: staff pages under /staff, public answer pages under /answer."""
from flask import Blueprint

bp = Blueprint("review", __name__)
