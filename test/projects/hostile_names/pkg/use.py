from pkg.defs import __proto__, constructor, hasOwnProperty, toString


def work():
    pass


def submit():
    __proto__.submit(work)  # TW305
    constructor.submit(work)  # TW305
    toString().submit(work)  # TW305 TW306


async def main():
    hasOwnProperty().join()  # TW106
