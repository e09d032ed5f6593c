import asyncio


class Sender:
    """Its private helpers are called from coroutines here and from another module's coroutine."""

    def _start_reconnect(self, error):
        # ok: _send_loop (a coroutine) and _keepalive_ping (called only from updates.py's coroutine) call it
        self._task = asyncio.get_event_loop().create_task(self._reconnect(error))

    def _keepalive_ping(self, rnd_id):
        self._start_reconnect(None)

    def _flush_now(self):
        self._loop = asyncio.get_event_loop()  # TW205

    async def _send_loop(self):
        self._start_reconnect(None)

    async def _reconnect(self, error):
        await asyncio.sleep(0)


def current_loop():
    # Its module calls it only from a coroutine, but updates.py calls it from plain code.
    return asyncio.get_event_loop()  # TW205


async def _wait_ready():
    current_loop()
