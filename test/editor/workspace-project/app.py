from helpers import fetch


async def handler():
    return fetch("x")
