# snippet: prefix tw-actor
# snippet: title Actor (threads)
# snippet: description Actor with threads: one thread owns the state and serves a mailbox queue; callers send requests and get replies through a concurrent.futures.Future.
# snippet: $1 = CounterActor
# snippet: $2 = receive
# snippet: begin
import concurrent.futures
import queue
import threading


class CounterActor:
    """An actor: one thread serves a mailbox; its state never leaves that thread, so it needs no lock."""

    _STOP = object()

    def __init__(self):
        self._mailbox = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name=type(self).__name__)

    def start(self):
        self._thread.start()
        return self

    def ask(self, message):
        """Sends a request; the returned Future holds the reply (or the exception)."""
        reply = concurrent.futures.Future()
        self._mailbox.put((message, reply))
        return reply

    def stop(self):
        """Lets the actor handle the messages already sent, then ends its thread."""
        self._mailbox.put((self._STOP, None))
        self._thread.join()

    def _serve(self):
        # The state is a local of the serving thread: no other thread can reach it.
        state = 0
        while True:
            message, reply = self._mailbox.get()
            if message is self._STOP:
                return
            try:
                state, result = self.receive(state, message)
            except Exception as exc:
                # The caller gets the error from reply.result() instead of waiting forever.
                reply.set_exception(exc)
            else:
                reply.set_result(result)

    @staticmethod
    def receive(state, message):
        """Handles one message: returns the new state and the reply."""
        # snippet: $0
        if message == "increment":
            state += 1
        elif message != "get":
            raise ValueError(f"unknown message {message!r}")
        return state, state
# snippet: end


if __name__ == "__main__":
    actor = CounterActor().start()
    try:
        replies = [actor.ask("increment") for _ in range(5)]
        print([reply.result(timeout=5) for reply in replies])
        try:
            actor.ask("reset").result(timeout=5)
        except ValueError as exc:
            print(f"error reply: {exc}")
        print(actor.ask("get").result(timeout=5))
    finally:
        actor.stop()
