import asyncio
import time


async def handler(delay: float) -> None:
    time.sleep(delay)
    asyncio.create_task(handler(0))
