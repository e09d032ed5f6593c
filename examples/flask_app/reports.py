"""Reports, on a blueprint of their own."""
import json

from flask import Blueprint

reports = Blueprint("reports", __name__)

_template = None


def _load_template():
    global _template
    if _template is None:
        _template = json.dumps({"title": "Clicks"})
    return _template


@reports.route("/daily")
def daily():
    return {"template": _load_template(), "rows": []}
