"""Helpers the package's coroutines use, and one that plain code uses too."""
import asyncio


class Countdown:
    """Built only inside the package's coroutines, so a loop runs whenever it is made."""

    def __init__(self, timeout):
        self.loop = asyncio.get_event_loop()  # ok: every construction is in a coroutine of another module
        self.deadline = self.loop.time() + timeout


class CountdownContext:
    def __init__(self, countdown: Countdown):
        self.countdown = countdown


def loop_time():
    return asyncio.get_event_loop().time()  # TW205


def running_loop():
    return asyncio.get_event_loop()  # TW205
