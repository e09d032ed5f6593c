from .client import Client
from .tools import Countdown, loop_time, running_loop


async def rpc(timeout):
    countdown = Countdown(timeout)
    client = Client()
    return countdown, client, loop_time(), running_loop()


def deadline():
    return loop_time() + 1


def later(loop):
    loop.call_soon(lambda: running_loop())
