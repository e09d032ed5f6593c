"""Keeping the event loop responsive: blocking work goes to a thread, waits get timeouts.

Run it: python3 example.py   (add -X dev or set PYTHONASYNCIODEBUG=1 to see slow callbacks)
"""
import asyncio
import hashlib
import time


def checksum(data: bytes) -> str:
    """Blocking, CPU-heavy work: fine in a thread, harmful on the event loop's thread."""
    for _ in range(2000):
        data = hashlib.sha256(data).digest()
    return data.hex()[:12]


async def heartbeat(stop: asyncio.Event) -> int:
    """Ticks every 20 ms; a blocked loop shows up as missed ticks."""
    ticks = 0
    while not stop.is_set():
        ticks += 1
        try:
            async with asyncio.timeout(0.02):
                await stop.wait()
        except TimeoutError:
            pass
    return ticks


async def slow_service() -> str:
    await asyncio.sleep(10)  # a dependency that hangs
    return "never"


async def main() -> None:
    loop = asyncio.get_running_loop()
    loop.slow_callback_duration = 0.05  # debug mode reports steps that hold the loop longer
    stop = asyncio.Event()
    started = time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        beat = tg.create_task(heartbeat(stop))
        sums = [tg.create_task(asyncio.to_thread(checksum, bytes([n]))) for n in range(4)]
        for task in sums:
            await task
        try:
            async with asyncio.timeout(0.2):  # Python 3.11+; asyncio.wait_for() before that
                await slow_service()
        except TimeoutError:
            print("slow_service timed out after 0.2 s and was cancelled")
        stop.set()
    elapsed = time.perf_counter() - started
    print(f"checksums: {[t.result() for t in sums]}")
    print(f"heartbeat ticked {beat.result()} times in {elapsed:.2f} s (one tick per 20 ms: the loop stayed free)")


if __name__ == "__main__":
    asyncio.run(main())
