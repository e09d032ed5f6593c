import asyncio

import queue
from shop.orders import models as order_models
from shop.billing import models as billing_models
from shop.orders.service import place, notify


async def run():
    queue.drain()  # TW107
    order_models.save()  # TW107
    billing_models.save()  # ok: billing's save only formats
    place()  # TW107
    notify()  # TW201
    await notify()  # ok: awaited
    await asyncio.gather(notify())  # ok: gather awaits it


async def cancel(task):
    task.cancel()  # ok: nothing the index knows
