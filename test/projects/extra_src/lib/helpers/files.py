import subprocess


def read_all(path):
    with open(path) as f:
        return f.read()


class Runner:
    def __init__(self, command):
        self.command = command

    def run(self):
        return subprocess.run(self.command)

    async def run_async(self):
        return self.command
