# snippet: prefix tw-lazy-init
# snippet: title Thread-safe lazy initialisation
# snippet: description Create an expensive shared object on first use, exactly once, even when many threads ask at the same moment: a lock-free fast path, then a second check under a lock (double-checked locking).
# snippet: $1 = get_client
# snippet: $2 = create_client
# snippet: begin
import threading

_instance = None
_instance_lock = threading.Lock()


def create_client():
    """Builds the expensive object; called at most once."""
    # snippet: $0
    return object()


def get_client():
    global _instance
    # Fast path without the lock: once set, _instance never changes again. Reading one global
    # is atomic in CPython, and free-threaded builds keep single reads and writes safe too.
    instance = _instance
    if instance is None:
        with _instance_lock:
            # Check again under the lock: another thread may have created it while we waited.
            if _instance is None:
                _instance = create_client()
            instance = _instance
    return instance
# snippet: end


if __name__ == "__main__":
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        seen = set(map(id, pool.map(lambda _: get_client(), range(100))))
    assert len(seen) == 1, seen
    print("one instance shared by every thread")
