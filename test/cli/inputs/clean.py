import asyncio


async def tick(n):
    await asyncio.sleep(n)
    return n
