"""The package's public client: users may build it anywhere."""
import asyncio


class Client:
    def __init__(self):
        self.loop = asyncio.get_event_loop()  # TW205
