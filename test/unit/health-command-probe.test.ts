import * as net from 'node:net';
import {once} from 'node:events';
import test from 'ava';
import {isEngineError} from '../../src/errors.js';
import {commandProbe, type CommandRunner, type CommandRunOptions} from '../../src/health/command-probe.js';
import {createHealthChecker, createProbe} from '../../src/health/from-spec.js';
import {ManualClock} from '../../src/health/manual-clock.js';
import type {HealthCheckSpec} from '../../src/task/types.js';

interface Call {
  readonly argv: string[];
  readonly options: CommandRunOptions;
}

/** A runner answering with a fixed result, remembering what it was asked to run. */
function fixedRunner(
  exitCode: number,
  output = '',
  timedOut = false,
): {runner: CommandRunner; calls: Call[]} {
  const calls: Call[] = [];
  const runner: CommandRunner = (argv, options) => {
    calls.push({argv, options});
    return Promise.resolve({exitCode, output, timedOut});
  };
  return {runner, calls};
}

test('exit code 0 is healthy; the string is split with quoting rules, not on single spaces', async (t) => {
  const {runner, calls} = fixedRunner(0, 'ready\n');
  const result = await commandProbe({command: `test  -f '/tmp/my file'`, runner}, {timeoutMs: 1000});
  t.like(result, {ok: true, output: 'exit 0: ready'});
  t.deepEqual(calls[0]?.argv, ['test', '-f', '/tmp/my file']);
  t.is(calls[0]?.options.timeoutMs, 1000);
  t.false(calls[0]?.options.signal.aborted);
});

test('an argv array is passed through as given (a copy)', async (t) => {
  const {runner, calls} = fixedRunner(0);
  const argv = ['sh', '-c', 'curl -sf localhost && echo ok'] as const;
  t.like(await commandProbe({command: argv, runner}, {timeoutMs: 1000}), {ok: true, output: 'exit 0'});
  t.deepEqual(calls[0]?.argv, [...argv]);
});

test('a non-zero exit is unhealthy, with the exit code and a short output', async (t) => {
  const {runner} = fixedRunner(3, `not ready ${'.'.repeat(1000)}`);
  const result = await commandProbe({command: 'check', runner}, {timeoutMs: 1000});
  t.false(result.ok);
  t.true(result.output.startsWith('exit 3: not ready'));
  t.true(result.output.length <= 520);
});

test('a runner reporting its own timeout is unhealthy', async (t) => {
  const {runner} = fixedRunner(137, '', true);
  t.like(await commandProbe({command: 'sleep 9', runner}, {timeoutMs: 300}), {
    ok: false,
    output: 'timed out after 300 ms',
  });
});

test('the timeout is honoured even when the runner ignores it (the seed hung forever)', async (t) => {
  let seen: AbortSignal | undefined;
  const hanging: CommandRunner = (_argv, options) => {
    seen = options.signal;
    return new Promise(() => undefined);
  };
  const started = Date.now();
  const result = await commandProbe({command: 'sleep infinity', runner: hanging}, {timeoutMs: 150});
  const elapsed = Date.now() - started;
  t.like(result, {ok: false, output: 'timed out after 150 ms'});
  t.true(elapsed >= 140 && elapsed < 3000, `took ${elapsed} ms`);
  t.true(seen?.aborted, 'the runner is told to stop the command');
  t.true(isEngineError(seen?.reason) && seen.reason.code === 'TIMEOUT');
});

test('a runner error is unhealthy with its message; cancelling rejects with CANCELLED', async (t) => {
  const failing: CommandRunner = () => Promise.reject(new Error('container is not running'));
  t.like(await commandProbe({command: 'x', runner: failing}, {timeoutMs: 1000}), {
    ok: false,
    output: 'container is not running',
  });
  const throwing: CommandRunner = () => {
    throw new Error('sync failure');
  };
  t.like(await commandProbe({command: 'x', runner: throwing}, {timeoutMs: 1000}), {output: 'sync failure'});

  const controller = new AbortController();
  const hanging: CommandRunner = () => new Promise(() => undefined);
  const pending = commandProbe({command: 'x', runner: hanging}, {timeoutMs: 5000, signal: controller.signal});
  setTimeout(() => controller.abort(), 20);
  const error = await t.throwsAsync(pending);
  t.true(isEngineError(error) && error.code === 'CANCELLED');
});

test('an empty or unparseable command fails without calling the runner', async (t) => {
  const {runner, calls} = fixedRunner(0);
  t.like(await commandProbe({command: '   ', runner}, {timeoutMs: 1000}), {
    ok: false,
    output: 'empty command',
  });
  t.like(await commandProbe({command: [], runner}, {timeoutMs: 1000}), {ok: false, output: 'empty command'});
  t.like(await commandProbe({command: `echo 'x`, runner}, {timeoutMs: 1000}), {
    ok: false,
    output: 'invalid command: unterminated single quote (opened at column 6)',
  });
  t.is(calls.length, 0);
});

const timing = {intervalSeconds: 1, timeoutSeconds: 0.5, gracePeriodSeconds: 0, consecutiveFailures: 2};

test('createHealthChecker wires a command spec to its runner and the injected clock', async (t) => {
  const clock = new ManualClock(0);
  const {runner, calls} = fixedRunner(1, 'nope');
  const spec: HealthCheckSpec = {type: 'command', command: 'cat  /ready', action: 'restart', ...timing};
  const checker = createHealthChecker(spec, {host: '127.0.0.1', runner, clock, historySize: 5});
  t.like(checker.config, {action: 'restart', historySize: 5, consecutiveFailures: 2});
  checker.start();
  await clock.advance(1000);
  t.deepEqual(calls[0]?.argv, ['cat', '/ready']);
  t.like(checker.state, {status: 'unhealthy', consecutiveFailures: 2, totalChecks: 2});
  t.is(checker.state.lastResult?.output, 'exit 1: nope');
  checker.stop();
});

test('createHealthChecker refuses an invalid spec with every issue, and a command check without runner', (t) => {
  const bad = {type: 'tcp', port: 0, ...timing, timeoutSeconds: 2} as HealthCheckSpec;
  const error = t.throws(() =>
    createHealthChecker(bad, {host: '127.0.0.1', path: 'containers[1].healthCheck'}),
  );
  t.true(isEngineError(error) && error.code === 'VALIDATION');
  if (isEngineError(error)) {
    t.deepEqual(
      (error.details['issues'] as {path: string}[]).map((issue) => issue.path),
      ['containers[1].healthCheck.port', 'containers[1].healthCheck.timeoutSeconds'],
    );
  }
  const noRunner = t.throws(() =>
    createHealthChecker({type: 'command', command: 'true', ...timing}, {host: 'x'}),
  );
  t.true(isEngineError(noRunner) && noRunner.code === 'UNSUPPORTED');
});

test('createProbe builds real tcp and http probes against the target host', async (t) => {
  const server = net.createServer((socket) => {
    // The probes hang up as soon as they have their answer; a reset here is expected, not a failure.
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    const tcp = createProbe({type: 'tcp', port, ...timing}, {host: '127.0.0.1'});
    t.like(await tcp({timeoutMs: 1000}), {ok: true});
    const web = createProbe({type: 'http', port, path: '/h', ...timing}, {host: '127.0.0.1'});
    t.like(await web({timeoutMs: 1000}), {ok: true, output: 'HTTP 204 No Content'});
  } finally {
    server.close();
  }
});
