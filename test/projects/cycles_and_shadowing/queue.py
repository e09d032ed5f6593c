# A local module named like the standard library's: `import queue` in this project means this file.
import subprocess


def drain():
    subprocess.run(["sync"])
