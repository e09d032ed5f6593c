"""Checkpoints built on the file mixins from another module."""
from .fileio import AsyncFileManagerMixin, FileManagerMixin


class FileCheckpoints(FileManagerMixin):
    pass


class AsyncFileCheckpoints(FileCheckpoints, AsyncFileManagerMixin):
    async def get_file_checkpoint(self, path):
        # Python's method order: AsyncFileCheckpoints, FileCheckpoints, AsyncFileManagerMixin,
        # FileManagerMixin: _read_file is the async mixin's, which reads in a thread.
        return await self._read_file(path)  # ok: the async override

    async def delete_checkpoint(self, path):
        self._remove(path)  # TW107


class SyncOnlyCheckpoints(FileCheckpoints):
    async def get_file_checkpoint(self, path):
        return self._read_file(path)  # TW107
