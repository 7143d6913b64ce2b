/**
A preload (`node --import loop-probe.mjs dist/bcs-executor.mjs rpc`) that tells a blocked event loop from a
starved process. A 10 ms timer chain measures how late each tick comes, and for every tick reads the main
thread's scheduler counters (/proc/self/task/<pid>/schedstat: time on a CPU, time waiting for one). A late
tick whose gap was spent on the CPU means the loop was busy (the server blocked it); one whose gap was spent
waiting for a CPU means the machine starved the process. Every 250 ms one line goes to stderr:
`loop-probe {"at":..,"ticks":..,"maxGapMs":..,"maxBusyMs":..,"maxWaitMs":..,"worst":[gap,cpu,wait]}`, written with
fs.writeSync so it never depends on the server's streams. The server itself is not touched.
*/
import {readFileSync, writeSync} from 'node:fs';
import {monitorEventLoopDelay} from 'node:perf_hooks';

const TICK_MS = 10;
const REPORT_MS = 250;
const schedstatPath = `/proc/self/task/${process.pid}/schedstat`;

/** [ns on a CPU, ns waiting on the run queue] of the main thread. */
function schedstat() {
  const [cpu = '0', wait = '0'] = readFileSync(schedstatPath, 'latin1').split(' ');
  return [Number(cpu), Number(wait)];
}

const histogram = monitorEventLoopDelay({resolution: 5});
histogram.enable();

let window = {ticks: 0, maxGapMs: 0, maxBusyMs: 0, maxWaitMs: 0, worst: [0, 0, 0]};
let last = performance.now();
let [lastCpu, lastWait] = schedstat();

function tick() {
  const now = performance.now();
  const [cpu, wait] = schedstat();
  const gap = now - last;
  const busy = (cpu - lastCpu) / 1e6;
  const waited = (wait - lastWait) / 1e6;
  last = now;
  lastCpu = cpu;
  lastWait = wait;
  window.ticks++;
  if (gap > window.maxGapMs) {
    window.maxGapMs = gap;
    window.worst = [gap, busy, waited];
  }
  window.maxBusyMs = Math.max(window.maxBusyMs, busy);
  window.maxWaitMs = Math.max(window.maxWaitMs, waited);
  // unref: the probe must never keep the server alive.
  setTimeout(tick, TICK_MS).unref();
}
setTimeout(tick, TICK_MS).unref();

const round1 = (value) => Math.round(value * 10) / 10;

/** MiB of process.memoryUsage(): V8's heap (committed, used), Buffers and memory outside it, the rest. */
function memory() {
  return Object.fromEntries(
    Object.entries(process.memoryUsage()).map(([key, bytes]) => [key, round1(bytes / 1048576)]),
  );
}

// With --expose-gc, SIGUSR2 runs a full garbage collection and reports the memory after it: what is still
// live, as opposed to garbage V8 has not collected yet. (Without --expose-gc the signal is left alone.)
if (typeof globalThis.gc === 'function') {
  process.on('SIGUSR2', () => {
    globalThis.gc();
    globalThis.gc();
    writeSync(2, `loop-probe-gc ${JSON.stringify({at: Math.round(performance.now()), memMiB: memory()})}\n`);
  });
}

setInterval(() => {
  const round = (value) => Math.round(value * 10) / 10;
  const line = {
    at: Math.round(performance.now()),
    ticks: window.ticks,
    maxGapMs: round(window.maxGapMs),
    maxBusyMs: round(window.maxBusyMs),
    maxWaitMs: round(window.maxWaitMs),
    worst: window.worst.map(round),
    elMaxMs: round(histogram.max / 1e6),
    elP99Ms: round(histogram.percentile(99) / 1e6),
    memMiB: memory(),
  };
  histogram.reset();
  window = {ticks: 0, maxGapMs: 0, maxBusyMs: 0, maxWaitMs: 0, worst: [0, 0, 0]};
  writeSync(2, `loop-probe ${JSON.stringify(line)}\n`);
}, REPORT_MS).unref();
