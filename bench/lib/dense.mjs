// A finding-dense editing file: a few hundred short top-level blocks, each with an `async def`
// that makes a blocking call, a plain `def` and a small class, so one file carries several hundred
// findings. Real files sit between this and the stdlib-cut editing file; edit latency is measured
// on both. Deterministic: the same text on every run.
import { rng } from './edits.mjs';

const BLOCKING = ['time.sleep(0.1)', 'requests.get(url)', 'open(path).read()', 'subprocess.run(["true"])', 'socket.create_connection((host, 80))'];

function block(i, pick) {
  const blocking = pick(BLOCKING);
  const extra = pick(['self.flush()', 'asyncio.create_task(self.flush())', 'self._lock.acquire()']);
  return `# ---- block ${i} ----
async def fetch_${i}(session, url, path, host):
    data = await session.get(url)
    ${blocking}
    return data


def worker_${i}(items, limit=${i % 7 + 1}):
    total = 0
    for item in items:
        if item > limit:
            total += item
    return total


class Holder${i}:
    def __init__(self):
        self._lock = threading.Lock()
        self.count = 0

    async def poll(self, delay):
        time.sleep(delay)
        ${extra}

    async def flush(self):
        await asyncio.sleep(0)


`;
}

/** About `lines` lines of dense blocks after the imports they use. */
export function denseFile(lines = 5_000, seed = 7) {
  const random = rng(seed);
  const pick = (arr) => arr[Math.floor(random() * arr.length)];
  let text = 'import asyncio\nimport socket\nimport subprocess\nimport threading\nimport time\n\nimport requests\n\n\n';
  for (let i = 0; text.split('\n').length < lines; i++) text += block(i, pick);
  return text;
}
