class Handle:
    def __init__(self, client):
        self.client = client

    def close(self):
        self.client._finish_responses(self)

    def drain(self):
        with self.client._lock:
            self.client._drain_locked_elsewhere(self)

    def flush(self, member):
        self.client._flush(member)

    def refresh(self):
        self.client._refresh(self)
