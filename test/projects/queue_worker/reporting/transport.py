from collections import defaultdict

from reporting.worker import BackgroundWorker, Journal


class Transport:
    def __init__(self):
        self._worker = BackgroundWorker()
        self._journal = Journal()
        self._discarded = defaultdict(int)
        self._logged = 0

    def record_lost_event(self, reason):
        self._discarded[reason] += 1  # TW502

    def _fetch_report(self):
        discarded = self._discarded  # TW502
        self._discarded = defaultdict(int)
        return sorted(discarded.items())

    def _send(self, envelope):
        report = self._fetch_report()
        if not report:
            self.record_lost_event("empty")
        return envelope

    def capture(self, envelope):
        def send_wrapper():
            self._send(envelope)

        self._worker.submit(send_wrapper)

    def log(self, line):
        # The journal's thread prints what it is given: this callable is never run there.
        self._journal.submit(self._count_logged)

    def _count_logged(self):
        self._logged += 1  # ok: never run on a thread
