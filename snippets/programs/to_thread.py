# snippet: prefix tw-to-thread
# snippet: title Blocking code from async (asyncio.to_thread)
# snippet: description Call blocking code (a sync library, file I/O, time.sleep) from a coroutine with asyncio.to_thread, so the event loop keeps serving other tasks while it runs in a worker thread.
# snippet: $1 = read_report
# snippet: $2 = load_report
# snippet: begin
import asyncio
import time


def read_report(name):
    """Plain blocking code: called directly inside async def, it would freeze the event loop."""
    # snippet: $0
    time.sleep(0.1)
    return f"report {name}"


async def load_report(name):
    # to_thread runs the call in the loop's default thread pool and copies the context
    # (contextvars); awaiting it suspends only this coroutine.
    return await asyncio.to_thread(read_report, name)
# snippet: end


async def _demo():
    started = time.perf_counter()
    reports = await asyncio.gather(*(load_report(n) for n in "abcde"))
    # Five 0.1 s calls overlap in worker threads instead of taking 0.5 s one after another.
    print(reports, f"{time.perf_counter() - started:.2f}s")


if __name__ == "__main__":
    asyncio.run(_demo())
