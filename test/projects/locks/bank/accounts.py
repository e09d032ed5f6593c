import threading

from bank.ledger import Outbox, audit, log_only, record, settle, write_slowly
from bank.locks import ACCOUNTS, AUDIT, LEDGER


def transfer(entry):
    with ACCOUNTS:
        record(entry)  # TW407


def close_day():
    with LEDGER:
        settle()  # TW407


def deposit(entry):
    with ACCOUNTS:
        settle()  # TW408


def slow_deposit(entry):
    with ACCOUNTS:
        write_slowly(entry)  # TW404
        log_only(entry)  # ok: does not block or lock


def nested_audit():
    with AUDIT:
        audit()  # ok: an RLock may be taken again


def settle_outside():
    settle()  # ok: nothing held
    write_slowly("x")  # ok: nothing held


OUTBOX = Outbox()


def queue_entry(entry):
    with ACCOUNTS:
        OUTBOX.push(entry)  # ok: another lock taken for a moment is lock order (TW407), not slow work
        OUTBOX.put(entry, block=False)  # ok: asked not to wait
        OUTBOX.put(entry)  # TW404


_journal_lock = threading.Lock()
_journal = None


def journal():
    """Opened once under the module's own lock: every caller waits for the journal it needs."""
    global _journal
    with _journal_lock:
        if _journal is None:
            _journal = write_slowly("open")  # ok: built once, for every holder
    return _journal


class Teller:
    def __init__(self):
        self._till_lock = threading.Lock()
        self.till = None

    def open_till(self):
        with self._till_lock:
            if self.till is not None:
                return
            self.till = write_slowly("till")  # ok: the one build every caller needs


class Vault:
    def __init__(self):
        self._door_lock = threading.Lock()
        self.door = None

    def open_door(self):
        with self._door_lock:
            if self.door is not None:
                return
            self.door = write_slowly("door")  # TW404

    def peek(self):
        # A reader that only wanted a look waits out the build.
        with self._door_lock:
            return self.door
