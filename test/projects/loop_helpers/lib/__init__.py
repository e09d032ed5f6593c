from .client import Client
# Re-exported for users, like the client; its private methods are still the package's own.
from .sender import Sender

__all__ = ["Client", "Sender"]
