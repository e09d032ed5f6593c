"""Item lookups: a cache in front of the warehouse API."""
import threading

import requests
from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

router = APIRouter()

WAREHOUSE = "https://warehouse.example.invalid"
_cache: dict[str, dict] = {}
_stats = {"lookups": 0, "misses": 0}
_stats_lock = threading.Lock()
_tenant = None


def current_tenant():
    global _tenant
    if _tenant is None:
        _tenant = {"name": "default"}
    return _tenant


def _fetch(sku: str) -> dict:
    return requests.get(f"{WAREHOUSE}/items/{sku}", timeout=5).json()


@router.get("/{sku}")
def get_item(sku: str, tenant=Depends(current_tenant)):
    with _stats_lock:
        _stats["lookups"] += 1
    if sku not in _cache:
        _cache[sku] = _fetch(sku)
    return _cache[sku]


@router.get("/{sku}/stock")
async def get_stock(sku: str):
    reply = requests.get(f"{WAREHOUSE}/stock/{sku}", timeout=5)
    return {"sku": sku, "stock": reply.json()["stock"]}


@router.get("/{sku}/price")
async def get_price(sku: str):
    # Handed to the thread pool: the event loop keeps serving other requests.
    item = await run_in_threadpool(_fetch, sku)
    return {"sku": sku, "price": item["price"]}


@router.post("/{sku}/miss")
def record_miss(sku: str):
    _stats["misses"] += 1
    return {"misses": _stats["misses"]}
