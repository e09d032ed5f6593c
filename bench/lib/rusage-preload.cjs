// Preloaded into the CLI process (node --require) to record its own CPU time, peak memory and the
// worker threads it started, at exit. getrusage(RUSAGE_SELF) counts every thread of the process
// (the CLI's pool workers, V8's GC and compiler threads), which is what "CPU utilisation" should
// include. Peak memory comes from VmHWM in /proc/self/status rather than getrusage's maxrss, which
// on Linux keeps the parent's peak from before exec and would report the benchmark's own memory.
// Worker threads inherit --require, so the hook runs in them too: only the main thread reports.
const fs = require('node:fs');
const threads = require('node:worker_threads');

const out = process.env.THREADWISE_BENCH_RUSAGE;
if (out && threads.isMainThread) {
  // Counted by wrapping the constructor the CLI bundle reads from this same module object.
  let started = 0;
  let running = 0;
  let peak = 0;
  const Original = threads.Worker;
  threads.Worker = class CountedWorker extends Original {
    constructor(...args) {
      super(...args);
      started++;
      peak = Math.max(peak, ++running);
      this.once('exit', () => running--);
    }
  };
  process.on('exit', () => {
    const u = process.resourceUsage();
    let peakKb = NaN;
    try {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
      if (m) peakKb = Number(m[1]);
    } catch {
      // not Linux
    }
    fs.writeFileSync(out, JSON.stringify({ userMicros: u.userCPUTime, systemMicros: u.systemCPUTime, peakKb, workersStarted: started, workersPeak: peak }));
  });
}
