def move(first, second):
    with first:
        with second:
            return 1


def hold(lock):
    with lock:
        return 1


def reorder(first, second):
    # Puts any two locks in one order before taking them: callers may pass them either way.
    if id(first) > id(second):
        first, second = second, first
    with first:
        with second:
            return 1


def move_checked(first, second):
    with first:
        if first is not second:
            with second:
                return 1
    return 0
