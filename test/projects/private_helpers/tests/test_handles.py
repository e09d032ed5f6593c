from sftp.client import Client


def test_drain_directly():
    # A test calls the helper directly, on one thread: this says nothing about the product's calls.
    client = Client()
    client._never_called(object())
