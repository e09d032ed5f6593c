"""An inventory service: the app object, its routers and a health check."""
import time

from fastapi import FastAPI

from .routers import items, orders

app = FastAPI(title="inventory")
app.include_router(items.router, prefix="/items")
app.include_router(orders.router, prefix="/orders")

STARTED = time.monotonic()


@app.get("/health")
def health():
    # A def route runs in the thread pool; reading one global is atomic.
    return {"up": round(time.monotonic() - STARTED, 1)}


@app.get("/ready")
async def ready():
    return {"ready": True}
