from helpers.files import Runner, read_all


class Service:
    def __init__(self):
        self.runner = Runner(["make"])

    async def start(self):
        read_all("settings.toml")  # TW107
        self.runner.run()  # TW107
        self.runner.run_async()  # TW201
        await self.runner.run_async()  # ok: awaited
        if self.runner.run_async():  # TW201
            pass
