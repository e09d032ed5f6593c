"""Actor: one thread owns the state; others send it messages and get replies through futures.

Run it: python3 example.py
"""
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor

_STOP = object()  # the message that ends the actor's loop


class Account:
    """The balance lives in the actor thread's own loop: no other thread can reach it, so no lock."""

    def __init__(self) -> None:
        self._mailbox: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="account-actor")

    def start(self) -> "Account":
        self._thread.start()
        return self

    def ask(self, action: str, amount: int = 0) -> Future:
        """Posts a message; the reply (or the error) arrives in the returned future."""
        reply: Future = Future()
        self._mailbox.put((action, amount, reply))
        return reply

    def stop(self) -> None:
        self._mailbox.put(_STOP)
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        balance = 0
        while True:
            message = self._mailbox.get()
            if message is _STOP:
                return
            action, amount, reply = message
            try:
                balance = apply(balance, action, amount)
                reply.set_result(balance)
            except Exception as exc:  # the caller decides what an error means
                reply.set_exception(exc)


def apply(balance: int, action: str, amount: int) -> int:
    """One message's effect on the state, as a pure function: easy to test without threads."""
    if action == "deposit":
        return balance + amount
    if action == "withdraw":
        if amount > balance:
            raise ValueError(f"cannot withdraw {amount}, balance is {balance}")
        return balance - amount
    if action == "balance":
        return balance
    raise ValueError(f"unknown message {action!r}")


def main() -> None:
    account = Account().start()
    try:
        # Eight client threads deposit concurrently; the actor applies one message at a time.
        with ThreadPoolExecutor(max_workers=8) as clients:
            replies = [clients.submit(lambda n=n: account.ask("deposit", n).result(timeout=5)) for n in range(1, 101)]
            for r in replies:
                r.result()
        print(f"balance after 100 deposits: {account.ask('balance').result(timeout=5)}")  # 5050
        overdraft = account.ask("withdraw", 10_000)
        # exception() waits for the reply and returns the error instead of raising it.
        print(f"overdraft refused: {overdraft.exception(timeout=5)}")
    finally:
        account.stop()


if __name__ == "__main__":
    main()
