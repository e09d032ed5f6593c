"""Exercise: an asyncio web handler asks the account actor for the balance.

While the handler waits for the actor's reply, every other request on the event loop waits too.
Put the cursor on the underlined call and press Ctrl+. (Cmd+. on macOS) to see the fix.
The walkthrough step ticks itself once Threadwise reports nothing left in this file.
"""
import asyncio
import queue
import threading
from concurrent.futures import Future

_STOP = object()


class Account:
    def __init__(self) -> None:
        self._mailbox: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop)

    def start(self) -> "Account":
        self._thread.start()
        return self

    def tell(self, action: str, amount: int, reply: Future) -> None:
        self._mailbox.put((action, amount, reply))

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
            if action == "deposit":
                balance += amount
            reply.set_result(balance)


async def handle_request(account: Account, amount: int) -> int:
    reply: Future = Future()
    account.tell("deposit", amount, reply)
    return reply.result()


async def main() -> None:
    account = Account().start()
    try:
        balances = await asyncio.gather(*(handle_request(account, n) for n in range(1, 11)))
        print(f"final balance: {max(balances)}")
    finally:
        account.stop()


if __name__ == "__main__":
    asyncio.run(main())
