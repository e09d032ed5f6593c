import time


def load_config(path):
    with open(path) as f:
        return f.read()


def looks_blocking(path):
    # Named like I/O, but only builds a string.
    return "config:" + path


def wait_a_bit():
    time.sleep(0.1)


def via_local_helper():
    return wait_a_bit()
