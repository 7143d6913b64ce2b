import test from 'ava';
import {waitExecExit, waitExecStarted} from '../../src/container/exec-poll.js';
import {EngineError} from '../../src/errors.js';
import type {ExecDetails} from '../../src/runtime/port.js';
import {stubRuntime} from '../support/container-helpers.js';

function details(running: boolean, exitCode: number | null): ExecDetails {
  return {id: 'exec1', running, exitCode, pid: 42, containerId: 'c1'};
}

test('polls past Running=true and a null ExitCode to the true exit code (seed case 32)', async (t) => {
  const answers = [details(true, null), details(true, null), details(false, null), details(false, 3)];
  const {runtime, methods} = stubRuntime({
    inspectExec: () => Promise.resolve(answers.shift() ?? details(false, 99)),
  });
  const finished = await waitExecExit(runtime, 'exec1');
  t.is(finished.exitCode, 3);
  t.false(finished.running);
  t.is(methods().length, 4);
});

test('an exec that never reports its exit code is TIMEOUT within the bound', async (t) => {
  const {runtime} = stubRuntime({inspectExec: () => Promise.resolve(details(true, null))});
  const started = performance.now();
  const error = await t.throwsAsync(waitExecExit(runtime, 'exec1', {timeoutMs: 120}), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'TIMEOUT');
  t.true(performance.now() - started < 1_000);
});

test('the signal cancels the polling', async (t) => {
  const {runtime} = stubRuntime({inspectExec: () => Promise.resolve(details(true, null))});
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const error = await t.throwsAsync(waitExecExit(runtime, 'exec1', {signal: controller.signal}), {
    instanceOf: EngineError,
  });
  t.is(error?.code, 'CANCELLED');
});

test('runtime errors pass through (the container went away)', async (t) => {
  const gone = new EngineError('NOT_FOUND', 'exec not found', {details: {resource: 'exec'}});
  const {runtime} = stubRuntime({inspectExec: () => Promise.reject(gone)});
  const error = await t.throwsAsync(waitExecExit(runtime, 'exec1'));
  t.is(error, gone);
});

test('started means running with a pid: Docker says running before containerd has started the process', async (t) => {
  const answers: ExecDetails[] = [
    {...details(true, null), pid: 0},
    {...details(true, null), pid: 0},
    details(true, null),
  ];
  const {runtime, methods} = stubRuntime({
    inspectExec: () => Promise.resolve(answers.shift() ?? details(true, null)),
  });
  const started = await waitExecStarted(runtime, 'exec1');
  t.is(started.pid, 42);
  t.is(methods().length, 3);
});

test('a runtime that never reports a pid is believed after a moment', async (t) => {
  const {runtime} = stubRuntime({inspectExec: () => Promise.resolve({...details(true, null), pid: 0})});
  const started = await waitExecStarted(runtime, 'exec1', {timeoutMs: 10_000});
  t.true(started.running);
  t.is(started.pid, 0);
});
