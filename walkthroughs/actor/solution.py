"""Solution: the handler awaits the actor's reply, so the event loop serves other requests meanwhile."""
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
    return await asyncio.wrap_future(reply)


async def main() -> None:
    account = Account().start()
    try:
        balances = await asyncio.gather(*(handle_request(account, n) for n in range(1, 11)))
        print(f"final balance: {max(balances)}")
    finally:
        account.stop()


if __name__ == "__main__":
    asyncio.run(main())
