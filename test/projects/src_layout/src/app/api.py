import asyncio

from app import load_config as lc
from app import Repository
from . import util
from .db import Cache


async def handler(key):
    util.load_config("app.toml")  # TW107
    lc("app.toml")  # TW107
    repo = Repository()  # TW107
    repo.fetch(key)  # TW107
    util.via_local_helper()  # TW107
    util.looks_blocking("x")  # ok: only builds a string
    await asyncio.to_thread(util.load_config, "app.toml")  # ok: handed off
    cache = Cache()  # ok: its __init__ does not block
    cache.get(key)  # ok
    return repo


async def typed(repo: Repository, key):
    repo.fetch(key)  # TW107
    await repo.fetch_async(key)  # ok: awaited


def sync_caller():
    util.load_config("app.toml")  # ok: not on an event loop
