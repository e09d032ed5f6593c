"""Dependencies shared by the routers."""
import sqlite3

_connection = None


def get_connection():
    # FastAPI runs this def dependency in its thread pool (routers/orders.py names it in
    # Depends): two requests can both see None and both connect.
    global _connection
    if _connection is None:
        _connection = sqlite3.connect(":memory:", check_same_thread=False)
    return _connection


def pagination(offset: int = 0, limit: int = 50):
    return {"offset": offset, "limit": min(limit, 100)}
