"""Orders: placed through a def route, listed through an async one."""
import asyncio
import time

from fastapi import APIRouter, BackgroundTasks, Depends

from ..deps import get_connection, pagination

router = APIRouter()

_placed = 0
_receipts: list[str] = []


def send_receipt(order_id: int) -> None:
    # A background task: runs in the thread pool after the response has gone out.
    time.sleep(0.05)
    _receipts.append(f"receipt {order_id}")


@router.post("/")
def place_order(background: BackgroundTasks, db=Depends(get_connection)):
    global _placed
    _placed += 1
    db.execute("select 1")
    background.add_task(send_receipt, _placed)
    return {"order": _placed}


@router.get("/")
async def list_orders(page=Depends(pagination)):
    await asyncio.sleep(0)
    time.sleep(0.2)
    return {"page": page, "placed": _placed}
