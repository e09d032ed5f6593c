"""A small asyncio service with a handful of hazards for the CLI's golden tests."""
import asyncio
import time


class Cache:
    def __init__(self):
        self._lock = asyncio.Lock()
        self._data = {}

    async def get(self, key):
        with self._lock:
            return self._data.get(key)


async def refresh(cache):
    loop = asyncio.get_event_loop()
    time.sleep(0.5)
    return loop.time()


async def main():
    cache = Cache()
    refresh(cache)
    await cache.get("a")
    x = 1  # threadwise: ignore[TW101]
    return x


if __name__ == "__main__":
    asyncio.run(main())
