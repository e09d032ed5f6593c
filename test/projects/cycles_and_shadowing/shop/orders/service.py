# Imports shop.orders.events, which imports this module back: a cycle the index must survive.
from . import events
from .models import save


def place():
    events.record("placed")


def record_and_save():
    save()


async def notify():
    return None


def spin():
    return spin()
