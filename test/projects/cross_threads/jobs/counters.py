TOTAL = 0
HITS = 0
MISSES = 0


def count():
    """Run on threads by other modules (app.py): the update races."""
    global TOTAL
    TOTAL += 1  # TW502


def hit():
    """Submitted to a pool another module made."""
    global HITS
    HITS += 1  # TW502


def miss():
    """Only ever called on the main thread: no finding."""
    global MISSES
    MISSES += 1
