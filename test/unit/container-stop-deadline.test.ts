import test from 'ava';
import {DockerContainer} from '../../src/container/docker-container.js';
import {stopWithDeadline} from '../../src/container/stop-deadline.js';
import {EngineError} from '../../src/errors.js';
import type {CallOptions, StopOptions} from '../../src/runtime/port.js';
import {stubRuntime} from '../support/container-helpers.js';

/** A stop that never answers until its signal fires (a hung daemon or a stop Docker never finishes). */
function hangingStop(_id: string, options: StopOptions = {}): Promise<{changed: boolean}> {
  return new Promise((_resolve, reject) => {
    options.signal?.addEventListener(
      'abort',
      () => reject(new EngineError('CANCELLED', 'operation cancelled')),
      {
        once: true,
      },
    );
  });
}

test('a stop that outlives timeout + grace is abandoned and SIGKILL is sent (seed cases 27, §8.2)', async (t) => {
  const {runtime, calls} = stubRuntime({
    stopContainer: hangingStop,
    killContainer: () => Promise.resolve(),
  });
  const started = performance.now();
  const result = await stopWithDeadline(runtime, 'web', {timeoutSeconds: 0, graceMs: 80});
  const elapsed = performance.now() - started;
  t.deepEqual(result, {changed: true, killed: true});
  t.true(elapsed >= 70 && elapsed < 2_000, `took ${elapsed} ms`);
  t.deepEqual(
    calls.map((call) => call.method),
    ['stopContainer', 'killContainer'],
  );
  t.is((calls[0]?.args[1] as StopOptions).timeoutSeconds, 0);
  t.deepEqual(calls[1]?.args.slice(0, 2), ['web', 'SIGKILL']);
});

test('the deadline counts the stop timeout itself: t seconds plus the grace', async (t) => {
  const {runtime} = stubRuntime({stopContainer: hangingStop, killContainer: () => Promise.resolve()});
  const started = performance.now();
  await stopWithDeadline(runtime, 'web', {timeoutSeconds: 1, graceMs: 0});
  t.true(performance.now() - started >= 990);
});

test('a container that is not running is {changed: false}, not an error (seed case 26)', async (t) => {
  const {runtime, methods} = stubRuntime({stopContainer: () => Promise.resolve({changed: false})});
  t.deepEqual(await stopWithDeadline(runtime, 'web', {timeoutSeconds: 5}), {changed: false, killed: false});
  t.deepEqual(methods(), ['stopContainer']);
});

test('a kill that finds the container already stopped means the stop finished late: no error', async (t) => {
  const {runtime} = stubRuntime({
    stopContainer: hangingStop,
    killContainer: () => Promise.reject(new EngineError('INVALID_STATE', 'container is not running')),
  });
  t.deepEqual(await stopWithDeadline(runtime, 'web', {timeoutSeconds: 0, graceMs: 20}), {
    changed: true,
    killed: false,
  });
});

test('when even the kill hangs the stop is TIMEOUT, bounded', async (t) => {
  const {runtime} = stubRuntime({
    stopContainer: hangingStop,
    killContainer: (_id: string, _signal?: string | number, options: CallOptions = {}) =>
      hangingStop('web', options).then(() => undefined),
  });
  const error = await t.throwsAsync(
    stopWithDeadline(runtime, 'web', {timeoutSeconds: 0, graceMs: 20, killTimeoutMs: 50}),
    {instanceOf: EngineError},
  );
  t.is(error?.code, 'TIMEOUT');
});

test("the caller's signal cancels without a kill", async (t) => {
  const {runtime, methods} = stubRuntime({
    stopContainer: hangingStop,
    killContainer: () => Promise.resolve(),
  });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  const error = await t.throwsAsync(
    stopWithDeadline(runtime, 'web', {timeoutSeconds: 10, signal: controller.signal}),
    {instanceOf: EngineError},
  );
  t.is(error?.code, 'CANCELLED');
  t.deepEqual(methods(), ['stopContainer']);
});

test('a timeout that is not a whole number of seconds >= 0 is VALIDATION and nothing is sent', async (t) => {
  const {runtime, calls} = stubRuntime({});
  for (const timeoutSeconds of [-1, 1.5, Number.NaN]) {
    const error = await t.throwsAsync(stopWithDeadline(runtime, 'web', {timeoutSeconds}), {
      instanceOf: EngineError,
    });
    t.is(error?.code, 'VALIDATION');
  }
  t.is(calls.length, 0);
});

test('DockerContainer.stopContainer uses its grace and reports the kill', async (t) => {
  const {runtime} = stubRuntime({stopContainer: hangingStop, killContainer: () => Promise.resolve()});
  const container = new DockerContainer({runtime, stopGraceMs: 30});
  t.deepEqual(await container.stopContainer('web', 0), {changed: true, killed: true});
});
