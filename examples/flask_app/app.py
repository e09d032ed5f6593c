"""A small link shortener: the Flask app and its main views."""
import secrets
import threading

from flask import Flask, abort, redirect, request

from . import storage
from .reports import reports

app = Flask(__name__)
app.register_blueprint(reports, url_prefix="/reports")

_links: dict[str, str] = {}
_clicks: dict[str, int] = {}
_links_lock = threading.Lock()
_served = 0


@app.post("/shorten")
def shorten():
    url = request.form["url"]
    code = secrets.token_urlsafe(4)
    with _links_lock:
        _links[code] = url
    storage.save_link(code, url)
    return {"code": code}


@app.route("/<code>")
def follow(code):
    global _served
    _served += 1
    url = _links.get(code)
    if url is None:
        abort(404)
    if code not in _clicks:
        _clicks[code] = 0
    with _links_lock:
        _clicks[code] += 1
    return redirect(url)


@app.route("/stats")
def stats():
    with _links_lock:
        return {"links": len(_links), "served": _served}
