import threading

_CACHE = {}
_HITS = 0
_LOCK = threading.Lock()


def remember(key, value):
    if key not in _CACHE:  # TW503
        _CACHE[key] = value
    return _CACHE[key]


def count_hit():
    global _HITS
    _HITS += 1  # TW502


def count_hit_locked():
    global _HITS
    with _LOCK:
        _HITS += 1  # ok: under the lock


def startup_only():
    """Called by the app's startup code on the main thread: no finding."""
    global _HITS
    _HITS = 0


_LOOP_HITS = 0


def count_on_loop():
    """Called only by an async route, on the event loop's one thread: no race."""
    global _LOOP_HITS
    _LOOP_HITS += 1
