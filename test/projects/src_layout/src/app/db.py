import requests

from .util import load_config


class Repository:
    def __init__(self):
        self.settings = load_config("db.toml")

    def fetch(self, key):
        return requests.get("http://db/" + key)

    async def fetch_async(self, key):
        return key


class Cache:
    def __init__(self):
        self.items = {}

    def get(self, key):
        return self.items.get(key)
