from lib.sender import current_loop


class UpdateMethods:
    """A mixin whose `self._sender` is a Sender, a type this module cannot see."""

    async def _keepalive_loop(self):
        self._sender._keepalive_ping(1)

    def flush(self):
        self._sender._flush_now()

    def loop(self):
        return current_loop()
