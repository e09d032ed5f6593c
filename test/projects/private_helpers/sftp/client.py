"""A client whose private helpers other modules call: with its lock, without it, or not at all."""
import threading
import weakref


class Client:
    def __init__(self):
        self._lock = threading.Lock()
        self._expecting = weakref.WeakValueDictionary()
        self._waiting = weakref.WeakValueDictionary()
        self._idle = weakref.WeakValueDictionary()
        self._shared = weakref.WeakValueDictionary()
        self.request_number = 1

    def request(self, owner):
        # Called from prefetch threads: records the request under the lock.
        with self._lock:
            num = self.request_number
            self._expecting[num] = owner
            self._waiting[num] = owner
            self._idle[num] = owner
            self._shared[num] = owner
            self.request_number += 1
        return num

    def _finish_responses(self, owner):
        # handles.py calls this without the lock.
        while owner in self._expecting.values():  # TW501
            self.read_one()

    def _drain_locked_elsewhere(self, owner):
        # handles.py calls this only with the lock held.
        while owner in self._waiting.values():  # ok: every call holds the lock
            self.read_one()

    def _never_called(self, owner):
        # No module calls it: taken to be called with the lock held.
        while owner in self._idle.values():  # ok: a private helper nobody calls
            self.read_one()

    def refresh(self, owner):
        with self._lock:
            self._refresh(owner)

    def _refresh(self, owner):
        # Called here with the lock, and by handles.py without it.
        while owner in self._shared.values():  # TW501
            self.read_one()

    def read_one(self):
        pass


class Pool:
    """`_flush` is a name two classes define: a call by that name elsewhere may mean either."""

    def __init__(self):
        self._lock = threading.Lock()
        self._members = weakref.WeakValueDictionary()

    def add(self, key, member):
        with self._lock:
            self._members[key] = member

    def _flush(self, member):
        while member in self._members.values():  # ok: which class's _flush handles.py calls is not known
            pass
