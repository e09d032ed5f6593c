# snippet: prefix tw-actor-async
# snippet: title Actor (asyncio)
# snippet: description Actor with asyncio: one task owns the state and serves an asyncio.Queue mailbox; callers await the reply through a Future.
# snippet: $1 = CounterActor
# snippet: $2 = receive
# snippet: begin
import asyncio


class CounterActor:
    """An actor: one task serves a mailbox; its state never leaves that task, so it needs no lock."""

    _STOP = object()

    def __init__(self):
        self._mailbox = asyncio.Queue()
        self._task = None

    def start(self):
        # Keep the task: the event loop holds only a weak reference to it.
        self._task = asyncio.create_task(self._serve())
        return self

    async def ask(self, message):
        """Sends a request and waits for the reply (or raises the actor's exception)."""
        reply = asyncio.get_running_loop().create_future()
        await self._mailbox.put((message, reply))
        return await reply

    async def stop(self):
        """Lets the actor handle the messages already sent, then waits for its task to end."""
        await self._mailbox.put((self._STOP, None))
        await self._task

    async def _serve(self):
        # The state is a local of the serving task: no other task can reach it.
        state = 0
        while True:
            message, reply = await self._mailbox.get()
            if message is self._STOP:
                return
            # A caller that was cancelled (or timed out) no longer waits; setting a result on its
            # cancelled Future would raise InvalidStateError and end the actor, hence done().
            try:
                state, result = await self.receive(state, message)
            except Exception as exc:
                if not reply.done():
                    reply.set_exception(exc)
            else:
                if not reply.done():
                    reply.set_result(result)

    @staticmethod
    async def receive(state, message):
        """Handles one message: returns the new state and the reply."""
        # snippet: $0
        if message == "increment":
            state += 1
        elif message != "get":
            raise ValueError(f"unknown message {message!r}")
        return state, state
# snippet: end


async def _demo():
    actor = CounterActor().start()
    try:
        print(await asyncio.gather(*(actor.ask("increment") for _ in range(5))))
        try:
            await actor.ask("reset")
        except ValueError as exc:
            print(f"error reply: {exc}")
        print(await actor.ask("get"))
    finally:
        await actor.stop()


if __name__ == "__main__":
    asyncio.run(_demo())
