from . import service
from ..orders.models import save


def record(name):
    save()
    return name


def loop_back():
    return service.spin()
