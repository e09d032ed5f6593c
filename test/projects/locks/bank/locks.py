import threading

ACCOUNTS = threading.Lock()
LEDGER = threading.Lock()
AUDIT = threading.RLock()
