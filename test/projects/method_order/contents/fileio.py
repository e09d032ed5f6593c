"""File helpers, sync and async: the async mixin overrides the sync one's methods."""
import asyncio


class FileManagerMixin:
    def _read_file(self, path):
        with open(path) as f:
            return f.read()

    def _remove(self, path):
        with open(path, "w") as f:
            f.truncate()


class AsyncFileManagerMixin(FileManagerMixin):
    async def _read_file(self, path):
        return await asyncio.to_thread(FileManagerMixin._read_file, self, path)
