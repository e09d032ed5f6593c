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
