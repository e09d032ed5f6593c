# snippet: prefix tw-timeout
# snippet: title Timeout and cancellation (asyncio.timeout / wait_for)
# snippet: description Give an awaitable a deadline: asyncio.timeout on Python 3.11+, asyncio.wait_for before, chosen by sys.version_info. On timeout the work is cancelled, its finally blocks run, and the caller gets a default.
# snippet: $1 = slow_operation
# snippet: $2 = with_timeout
# snippet: begin
import asyncio
import sys


async def slow_operation():
    # snippet: $0
    try:
        await asyncio.sleep(1)
        return "finished"
    finally:
        # A timeout cancels this coroutine: CancelledError is raised at the await above, and
        # clean-up still runs. Never swallow CancelledError, or the timeout cannot work.
        print("slow_operation cleaned up")


async def with_timeout(seconds, default=None):
    """slow_operation()'s result, or `default` if it takes longer than `seconds`."""
    try:
        if sys.version_info >= (3, 11):
            async with asyncio.timeout(seconds):
                return await slow_operation()
        else:
            return await asyncio.wait_for(slow_operation(), seconds)
    except asyncio.TimeoutError:  # the built-in TimeoutError since 3.11, a separate class before
        return default
# snippet: end


async def _demo():
    print(await with_timeout(0.05, default="timed out"))
    print(await with_timeout(5))


if __name__ == "__main__":
    asyncio.run(_demo())
