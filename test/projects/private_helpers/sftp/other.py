class Buffer:
    def _flush(self, member):
        return member
