import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {HealthChecker, PROBE_DEADLINE_SLACK_MS} from '../../src/health/checker.js';
import type {HealthCheckerConfig, HealthEvent} from '../../src/health/checker-types.js';
import {ManualClock} from '../../src/health/manual-clock.js';
import type {Probe, ProbeOptions, ProbeResult} from '../../src/health/probe.js';

const T0 = 1_700_000_000_000;
const base: HealthCheckerConfig = {
  intervalSeconds: 1,
  timeoutSeconds: 0.5,
  gracePeriodSeconds: 3,
  consecutiveFailures: 2,
};

const pass = (output = 'ok'): ProbeResult => ({ok: true, output, durationMs: 1});
const fail = (output = 'bad'): ProbeResult => ({ok: false, output, durationMs: 1});

interface PendingCall {
  readonly at: number;
  readonly options: ProbeOptions;
  readonly resolve: (result: ProbeResult) => void;
}

/** A probe the test answers by hand, counting calls and how many run at once. */
function manualProbe(clock: ManualClock): {probe: Probe; calls: PendingCall[]; maxActive: () => number} {
  const calls: PendingCall[] = [];
  let active = 0;
  let maxActive = 0;
  const probe: Probe = (options) =>
    new Promise<ProbeResult>((resolve) => {
      active++;
      maxActive = Math.max(maxActive, active);
      const done = (result: ProbeResult): void => {
        active--;
        resolve(result);
      };
      calls.push({at: clock.now(), options, resolve: done});
    });
  return {probe, calls, maxActive: () => maxActive};
}

/** A probe answering from a script of outcomes (true = pass), then passing; records call times. */
function scriptedProbe(clock: ManualClock, script: readonly boolean[]): {probe: Probe; times: number[]} {
  const times: number[] = [];
  const probe: Probe = () => {
    const ok = script[times.length] ?? true;
    times.push(clock.now() - T0);
    return Promise.resolve(ok ? pass() : fail(`failure ${times.length}`));
  };
  return {probe, times};
}

function record(checker: HealthChecker): HealthEvent[] {
  const events: HealthEvent[] = [];
  checker.onChange((event) => events.push(event));
  return events;
}

function summary(events: readonly HealthEvent[]): string[] {
  return events.map((event) => {
    if (event.type === 'probe')
      return `probe:${event.result.ok ? 'ok' : 'fail'}:${event.consecutiveFailures}`;
    if (event.type === 'status') return `status:${event.previous}->${event.status}`;
    return `threshold:${event.consecutiveFailures}/${event.threshold}:${event.action}`;
  });
}

test('the first probe runs when the grace period ends; until then the status is starting', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, times} = scriptedProbe(clock, []);
  const checker = new HealthChecker(base, {probe, clock});
  t.is(checker.state.status, 'starting');
  t.false(checker.state.running);
  checker.start();
  t.true(checker.state.running);
  await clock.advance(2999);
  t.deepEqual(times, []);
  t.is(checker.state.status, 'starting');
  t.is(checker.state.lastCheckAt, null);
  await clock.advance(1);
  t.deepEqual(times, [3000]);
  t.is(checker.state.status, 'healthy');
  t.is(checker.state.lastCheckAt, T0 + 3000);
  t.is(checker.state.totalChecks, 1);
});

test('probes run every interval, start to start, and fractional seconds work', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, times} = scriptedProbe(clock, []);
  const checker = new HealthChecker(
    {intervalSeconds: 0.05, timeoutSeconds: 0.02, gracePeriodSeconds: 0.01, consecutiveFailures: 1},
    {probe, clock},
  );
  checker.start();
  await clock.advance(200);
  t.deepEqual(times, [10, 60, 110, 160]);
  checker.stop();
});

test('unhealthy only when consecutive failures reach the threshold, healthy again after a success', async (t) => {
  const clock = new ManualClock(T0);
  // probes at 3s, 4s, ...: fail, fail, fail, pass, fail, fail
  const {probe} = scriptedProbe(clock, [false, false, false, true, false, false]);
  const checker = new HealthChecker({...base, action: 'restart'}, {probe, clock});
  const events = record(checker);
  checker.start();
  await clock.advance(3000);
  t.is(checker.state.status, 'starting', 'one failure below the threshold does not decide yet');
  t.is(checker.state.consecutiveFailures, 1);
  await clock.advance(1000);
  t.is(checker.state.status, 'unhealthy');
  await clock.advance(1000);
  t.is(checker.state.consecutiveFailures, 3);
  await clock.advance(1000);
  t.is(checker.state.status, 'healthy');
  t.is(checker.state.consecutiveFailures, 0, 'seed case 48: the streak resets on a success');
  await clock.advance(2000);
  t.deepEqual(summary(events), [
    'probe:fail:1',
    'probe:fail:2',
    'status:starting->unhealthy',
    'threshold:2/2:restart',
    'probe:fail:3',
    'probe:ok:0',
    'status:unhealthy->healthy',
    'probe:fail:1',
    'probe:fail:2',
    'status:healthy->unhealthy',
    'threshold:2/2:restart',
  ]);
  const state = checker.state;
  t.is(state.totalChecks, 6);
  t.is(state.totalFailures, 5, 'the failure total is really counted (the seed never incremented it)');
  t.is(state.lastFailureAt, T0 + 8000);
  t.is(state.lastResult?.output, 'failure 6');
  const statusEvent = events.find((event) => event.type === 'status');
  t.deepEqual(statusEvent, {
    type: 'status',
    status: 'unhealthy',
    previous: 'starting',
    consecutiveFailures: 2,
    lastResult: {at: T0 + 4000, ok: false, output: 'failure 2', durationMs: 1},
  });
  checker.stop();
});

test('a single failure does not flip a healthy check (the seed flipped on every failure)', async (t) => {
  const clock = new ManualClock(T0);
  const {probe} = scriptedProbe(clock, [true, false, false, true]);
  const checker = new HealthChecker({...base, consecutiveFailures: 3}, {probe, clock});
  const events = record(checker);
  checker.start();
  await clock.advance(6000);
  t.is(checker.state.status, 'healthy');
  t.deepEqual(summary(events), [
    'probe:ok:0',
    'status:starting->healthy',
    'probe:fail:1',
    'probe:fail:2',
    'probe:ok:0',
  ]);
  checker.stop();
});

test('with a threshold of 1 the first failure is decisive', async (t) => {
  const clock = new ManualClock(T0);
  const {probe} = scriptedProbe(clock, [false]);
  const checker = new HealthChecker({...base, consecutiveFailures: 1}, {probe, clock});
  const events = record(checker);
  checker.start();
  await clock.advance(3000);
  t.deepEqual(summary(events), ['probe:fail:1', 'status:starting->unhealthy', 'threshold:1/1:report']);
  checker.stop();
});

test('history keeps the last N probes, oldest first (default 20)', async (t) => {
  const clock = new ManualClock(T0);
  const {probe} = scriptedProbe(clock, []);
  const small = new HealthChecker({...base, gracePeriodSeconds: 0, historySize: 3}, {probe, clock});
  const large = new HealthChecker({...base, gracePeriodSeconds: 0}, {probe, clock});
  small.start();
  large.start();
  await clock.advance(24_500);
  t.is(small.state.totalChecks, 25);
  t.deepEqual(
    small.state.history.map((entry) => entry.at - T0),
    [22_000, 23_000, 24_000],
  );
  t.is(large.config.historySize, 20);
  t.is(large.state.history.length, 20);
  t.is(large.state.history[0]?.at, T0 + 5000);
  t.is(large.state.history[19]?.at, T0 + 24_000);
  small.stop();
  large.stop();
});

test('state reads are frozen snapshots that later changes do not touch', async (t) => {
  const clock = new ManualClock(T0);
  const {probe} = scriptedProbe(clock, [false]);
  const checker = new HealthChecker(base, {probe, clock});
  checker.start();
  await clock.advance(3000);
  const before = checker.state;
  t.is(checker.state, before, 'the same snapshot until something changes');
  t.true(Object.isFrozen(before));
  t.true(Object.isFrozen(before.history));
  t.true(Object.isFrozen(before.history[0]));
  t.false(Reflect.set(before, 'status', 'healthy'));
  t.false(Reflect.set(before.history, 0, null));
  t.false(Reflect.set(before.history, 'length', 0));
  await clock.advance(1000);
  t.is(before.totalChecks, 1);
  t.is(before.history.length, 1);
  t.is(before.status, 'starting');
  t.is(checker.state.totalChecks, 2);
  t.not(checker.state, before);
  checker.stop();
});

test('a slow probe delays the next one instead of overlapping it', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, calls, maxActive} = manualProbe(clock);
  // The checker's own deadline (timeout + slack) lies past the interval, so a probe may outlast it.
  const checker = new HealthChecker({...base, gracePeriodSeconds: 0, timeoutSeconds: 0.9}, {probe, clock});
  checker.start();
  await clock.advance(0);
  t.is(calls.length, 1);
  await clock.advance(1100);
  t.is(calls.length, 1, 'no second probe while the first is still running at the 1 s tick');
  calls[0]?.resolve(pass());
  await clock.advance(0);
  t.is(calls.length, 2, 'the next probe starts as soon as the slow one ends');
  t.is(calls[1]?.at, T0 + 1100);
  calls[1]?.resolve(pass());
  await clock.advance(1000);
  t.is(calls[2]?.at, T0 + 2100, 'then the cadence resumes from there');
  t.is(maxActive(), 1);
  checker.stop();
});

test('a probe that ignores its timeout is abandoned at the deadline and counted as failed', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, calls} = manualProbe(clock);
  const checker = new HealthChecker({...base, gracePeriodSeconds: 0}, {probe, clock});
  checker.start();
  await clock.advance(0);
  t.is(calls[0]?.options.timeoutMs, 500);
  await clock.advance(500 + PROBE_DEADLINE_SLACK_MS - 1);
  t.is(checker.state.totalChecks, 0);
  await clock.advance(1);
  const signal = calls[0]?.options.signal;
  t.true(signal?.aborted);
  t.true(isEngineError(signal?.reason) && signal.reason.code === 'TIMEOUT');
  t.like(checker.state, {totalChecks: 1, totalFailures: 1, consecutiveFailures: 1});
  t.like(checker.state.lastResult, {ok: false, output: 'timed out after 500 ms', durationMs: 750});
  calls[0]?.resolve(pass('too late'));
  await clock.advance(0);
  t.is(checker.state.totalChecks, 1, 'a result arriving after the deadline is ignored');
  await clock.advance(250);
  t.is(calls.length, 2, 'the next probe keeps the cadence');
  checker.stop();
});

test('stop during the grace period means no probe ever runs', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, times} = scriptedProbe(clock, []);
  const checker = new HealthChecker(base, {probe, clock});
  checker.start();
  await clock.advance(2000);
  checker.stop();
  checker.stop();
  t.is(clock.pendingTimers, 0, 'the grace wait is cancelled, not left to fire');
  await clock.advance(60_000);
  t.deepEqual(times, []);
  t.like(checker.state, {running: false, totalChecks: 0, status: 'starting'});
});

test('stop abandons a probe in flight: its signal fires and its late result is not counted', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, calls} = manualProbe(clock);
  const checker = new HealthChecker({...base, gracePeriodSeconds: 0}, {probe, clock});
  checker.start();
  await clock.advance(100);
  checker.stop();
  t.true(calls[0]?.options.signal?.aborted);
  calls[0]?.resolve(fail());
  await clock.advance(10_000);
  t.is(calls.length, 1);
  t.is(checker.state.totalChecks, 0);
  t.is(clock.pendingTimers, 0);
});

test('start is idempotent, follows an AbortSignal, and may run again after stop', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, times} = scriptedProbe(clock, []);
  const checker = new HealthChecker(base, {probe, clock});
  const controller = new AbortController();
  checker.start(controller.signal);
  checker.start();
  await clock.advance(3500);
  t.deepEqual(times, [3000], 'one schedule, not two');
  controller.abort();
  t.false(checker.state.running);
  await clock.advance(5000);
  t.deepEqual(times, [3000]);

  checker.start(AbortSignal.abort());
  t.false(checker.state.running, 'an aborted signal does not start it');
  checker.start();
  t.is(checker.state.status, 'starting');
  await clock.advance(3000);
  t.deepEqual(times, [3000, 11_500], 'the grace period runs again');
  t.is(checker.state.totalChecks, 2, 'totals are kept across a restart');
  checker.stop();
});

test('pause skips probes and abandons the one in flight; resume waits one interval', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, calls} = manualProbe(clock);
  const checker = new HealthChecker({...base, gracePeriodSeconds: 0}, {probe, clock});
  checker.start();
  await clock.advance(0);
  calls[0]?.resolve(pass());
  await clock.advance(1000);
  t.is(calls.length, 2);
  checker.pause();
  t.true(calls[1]?.options.signal?.aborted);
  calls[1]?.resolve(fail());
  await clock.advance(10_000);
  t.is(calls.length, 2);
  t.like(checker.state, {paused: true, running: true, status: 'healthy', totalChecks: 1, totalFailures: 0});
  checker.resume();
  t.false(checker.state.paused);
  await clock.advance(999);
  t.is(calls.length, 2);
  await clock.advance(1);
  t.is(calls.length, 3);
  t.is(calls[2]?.at, T0 + 12_000);
  checker.stop();
});

test('pause during the grace period keeps the grace deadline', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, times} = scriptedProbe(clock, []);
  const checker = new HealthChecker(base, {probe, clock});
  checker.start();
  await clock.advance(1000);
  checker.pause();
  await clock.advance(1000);
  checker.resume();
  await clock.advance(1000);
  t.deepEqual(times, [3000]);
  checker.stop();
});

test('reset after a restart clears the streak, runs the grace again and can fire the threshold again', async (t) => {
  const clock = new ManualClock(T0);
  const {probe} = scriptedProbe(clock, [false, false, false, false]);
  const checker = new HealthChecker({...base, action: 'restart'}, {probe, clock});
  const events = record(checker);
  // The pod layer's reaction: restart the container, then reset the checker.
  checker.onChange((event) => {
    if (event.type === 'threshold') checker.reset();
  });
  checker.start();
  await clock.advance(4000);
  t.like(checker.state, {status: 'starting', consecutiveFailures: 0, totalFailures: 2});
  await clock.advance(2999);
  t.is(checker.state.totalChecks, 2, 'no probe during the new grace period');
  await clock.advance(1001);
  t.deepEqual(summary(events), [
    'probe:fail:1',
    'probe:fail:2',
    'status:starting->unhealthy',
    'threshold:2/2:restart',
    'status:unhealthy->starting',
    'probe:fail:1',
    'probe:fail:2',
    'status:starting->unhealthy',
    'threshold:2/2:restart',
    'status:unhealthy->starting',
  ]);
  checker.stop();
});

test('a listener that stops the checker gets no stale events and no further probes run', async (t) => {
  const clock = new ManualClock(T0);
  const {probe, times} = scriptedProbe(clock, [false, false]);
  const checker = new HealthChecker({...base, consecutiveFailures: 1}, {probe, clock});
  const events = record(checker);
  checker.onChange((event) => {
    if (event.type === 'probe') checker.stop();
  });
  checker.start();
  await clock.advance(10_000);
  t.deepEqual(times, [3000]);
  t.deepEqual(summary(events), ['probe:fail:1']);
  t.is(checker.state.status, 'unhealthy');
});

test('onChange returns a disposer', async (t) => {
  const clock = new ManualClock(T0);
  const {probe} = scriptedProbe(clock, []);
  const checker = new HealthChecker({...base, gracePeriodSeconds: 0}, {probe, clock});
  const events: HealthEvent[] = [];
  const dispose = checker.onChange((event) => events.push(event));
  checker.start();
  await clock.advance(0);
  dispose();
  dispose();
  await clock.advance(5000);
  t.deepEqual(summary(events), ['probe:ok:0', 'status:starting->healthy']);
  checker.stop();
});

test('a probe that throws counts as a failure with its message; long output is cut', async (t) => {
  const clock = new ManualClock(T0);
  let call = 0;
  const probe: Probe = () => {
    call++;
    if (call === 1) throw new Error('sync boom');
    if (call === 2) return Promise.reject(new Error('async boom'));
    return Promise.resolve({ok: false, output: `  ${'x'.repeat(2000)}\n`, durationMs: Number.NaN});
  };
  const checker = new HealthChecker({...base, gracePeriodSeconds: 0, consecutiveFailures: 5}, {probe, clock});
  checker.start();
  await clock.advance(2000);
  const outputs = checker.state.history.map((entry) => entry.output);
  t.is(outputs[0], 'sync boom');
  t.is(outputs[1], 'async boom');
  t.is(outputs[2]?.length, 512);
  t.true(outputs[2]?.endsWith('…'));
  t.is(checker.state.history[2]?.durationMs, 0, 'a nonsense duration is replaced by the clock reading');
  t.is(checker.state.totalFailures, 3);
  checker.stop();
});

test('the constructor refuses a bad configuration with every issue', (t) => {
  const probe: Probe = () => Promise.resolve(pass());
  const error = t.throws(
    () => new HealthChecker({...base, timeoutSeconds: 1, consecutiveFailures: 0, historySize: 0}, {probe}),
  );
  t.true(isEngineError(error) && error.code === 'VALIDATION');
  if (isEngineError(error)) {
    t.deepEqual(
      (error.details['issues'] as {path: string}[]).map((issue) => issue.path),
      ['timeoutSeconds', 'consecutiveFailures', 'historySize'],
    );
  }
});

test('the system clock drives a real checker (fast config, bounded wait)', async (t) => {
  let calls = 0;
  const probe: Probe = () => {
    calls++;
    return Promise.resolve(pass());
  };
  const checker = new HealthChecker(
    {intervalSeconds: 0.02, timeoutSeconds: 0.01, gracePeriodSeconds: 0, consecutiveFailures: 1},
    {probe},
  );
  const healthy = new Promise<void>((resolve) => {
    checker.onChange((event) => {
      if (event.type === 'probe' && calls >= 3) resolve();
    });
  });
  checker.start();
  const outcome = await Promise.race([
    healthy.then(() => 'done'),
    new Promise((resolve) => setTimeout(resolve, 5000, 'timeout')),
  ]);
  checker.stop();
  t.is(outcome, 'done');
  t.is(checker.state.status, 'healthy');
});
