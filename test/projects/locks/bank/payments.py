import threading

from bank import moves
from bank.ledger import Outbox
from bank.locks import AUDIT
from bank.moves import hold, move, move_checked, reorder

CASH = threading.Lock()
CARDS = threading.Lock()
COINS = threading.Lock()
NOTES = threading.Lock()
BILLS = threading.Lock()
STAMPS = threading.Lock()


def pay_cash():
    move(CASH, CARDS)  # TW407


def pay_card():
    moves.move(second=CASH, first=CARDS)  # TW407


def count_coins():
    with COINS:
        hold(NOTES)  # TW407


def count_notes():
    with NOTES:
        with COINS:  # TW407
            pass


def same_order():
    move(COINS, AUDIT)  # ok: AUDIT comes after COINS everywhere
    move(first=COINS, second=AUDIT)  # ok: the same order


def reordered():
    reorder(BILLS, CARDS)  # ok: the helper puts them in one order
    reorder(CARDS, BILLS)  # ok: the helper puts them in one order


def not_locks(a, b):
    move(a, b)  # ok: not known to be locks
    move(b, a)  # ok: not known to be locks
    move(Outbox, AUDIT)  # ok: a class, not a lock
    move(AUDIT, Outbox)  # ok: a class, not a lock


def pay_yourself():
    move(CASH, CASH)  # TW408


def pay_yourself_checked():
    move_checked(CASH, CASH)  # ok: the helper skips the second lock when both are one


def hold_again():
    with STAMPS:
        hold(STAMPS)  # TW408


def hold_reentrant():
    with AUDIT:
        hold(AUDIT)  # ok: an RLock may be taken again


threading.Thread(target=move, args=(BILLS, STAMPS)).start()  # TW407
threading.Thread(target=moves.move, args=(STAMPS, BILLS)).start()  # TW407
