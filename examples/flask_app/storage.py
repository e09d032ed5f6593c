"""Persistence for links; the views in app.py call these on the server's request threads."""
import threading

_saved = 0
_journal: list[tuple[str, str]] = []
_journal_lock = threading.Lock()


def save_link(code: str, url: str) -> None:
    # Called from the 'shorten' view in app.py: the project index sees that this runs on request
    # threads and reports the update below.
    global _saved
    _saved += 1
    with _journal_lock:
        _journal.append((code, url))
