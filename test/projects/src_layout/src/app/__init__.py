from .db import Repository
from .util import load_config

__all__ = ["Repository", "load_config"]
