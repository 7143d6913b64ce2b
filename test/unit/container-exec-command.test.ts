import test from 'ava';
import {EXEC_MARKER_ENV} from '../../src/container/exec-kill.js';
import {execCommand} from '../../src/container/exec-command.js';
import {EngineError} from '../../src/errors.js';
import type {ExecCreateSpec, ExecDetails} from '../../src/runtime/port.js';
import {scriptedSession, stubRuntime} from '../support/container-helpers.js';

function details(running: boolean, exitCode: number | null): ExecDetails {
  return {id: 'e1', running, exitCode, pid: 42, containerId: 'c1'};
}

/** A runtime with one scripted exec (`e1`) and, for kills, a second one (`kill`) that exits with `killExit`. */
function execEngine(options: {readonly killExit?: number; readonly killOutput?: string} = {}) {
  const main = scriptedSession('e1');
  const killer = scriptedSession('kill');
  const specs: ExecCreateSpec[] = [];
  let mainDone = false;
  let mainExit = 137;
  const stub = stubRuntime({
    createExec: (_id: string, spec: ExecCreateSpec) => {
      specs.push(spec);
      return Promise.resolve(specs.length === 1 ? 'e1' : 'kill');
    },
    startExec: (execId: string) => {
      if (execId === 'kill') {
        // The kill script "runs": the main command dies with it.
        setImmediate(() => {
          killer.out.write(options.killOutput ?? '2\n');
          killer.finish();
          mainDone = true;
          main.finish();
        });
        return Promise.resolve(killer.session);
      }
      return Promise.resolve(main.session);
    },
    inspectExec: (execId: string) =>
      Promise.resolve(
        execId === 'kill'
          ? details(false, options.killExit ?? 0)
          : mainDone
            ? details(false, mainExit)
            : details(true, null),
      ),
  });
  return {
    ...stub,
    main,
    specs,
    complete: (code: number) => {
      mainExit = code;
      mainDone = true;
      main.finish();
    },
  };
}

test('output, exit code, env, user and working dir; the marker is added; no stdin', async (t) => {
  const engine = execEngine();
  const running = execCommand(engine.runtime, 'c1', {
    cmd: ['sh', '-c', 'x'],
    env: ['A=1'],
    user: 'nobody',
    workingDir: '/tmp',
  });
  await new Promise((resolve) => setImmediate(resolve));
  engine.main.out.write('out');
  engine.main.err.write('err');
  engine.complete(3);
  const result = await running;
  t.like(result, {exitCode: 3, stdout: 'out', stderr: 'err', truncated: false, timedOut: false});
  const spec = engine.specs[0];
  t.deepEqual(spec?.cmd, ['sh', '-c', 'x']);
  t.is(spec?.env?.[0], 'A=1');
  t.regex(spec?.env?.[1] ?? '', new RegExp(`^${EXEC_MARKER_ENV}=[0-9a-f-]{36}$`));
  t.is(spec?.user, 'nobody');
  t.is(spec?.workingDir, '/tmp');
  t.is(spec?.attachStdin, undefined);
  t.is(spec?.privileged, undefined);
});

test('an empty user is left out, so the exec runs as the container user, not root (seed case 30)', async (t) => {
  const engine = execEngine();
  const running = execCommand(engine.runtime, 'c1', {cmd: ['id'], user: ''});
  await new Promise((resolve) => setImmediate(resolve));
  engine.complete(0);
  await running;
  t.false('user' in (engine.specs[0] ?? {}));
});

test('a timeout kills the command from inside the container and says timedOut', async (t) => {
  const engine = execEngine();
  const started = performance.now();
  const result = await execCommand(engine.runtime, 'c1', {cmd: ['sleep', '100'], timeoutMs: 60});
  t.true(performance.now() - started < 2_000);
  t.true(result.timedOut);
  t.is(result.exitCode, 137);
  // The second exec is the kill: as root, given the marker of the first.
  const kill = engine.specs[1];
  t.is(kill?.user, '0');
  t.is(kill?.cmd[0], 'sh');
  const marker = engine.specs[0]?.env?.at(-1)?.split('=')[1];
  t.is(kill?.cmd.at(-1), marker);
});

test('a failed kill is TIMEOUT with leftRunning, not a quiet success', async (t) => {
  const engine = execEngine({killExit: 2, killOutput: 'cannot read the environment of 3 processes'});
  const error = await t.throwsAsync(
    execCommand(engine.runtime, 'c1', {cmd: ['sleep', '100'], timeoutMs: 30}),
    {
      instanceOf: EngineError,
    },
  );
  t.is(error?.code, 'TIMEOUT');
  t.is(error?.details['leftRunning'], true);
  t.regex(error?.message ?? '', /CAP_SYS_PTRACE/);
});

test('cancelling kills the command the same way and throws CANCELLED', async (t) => {
  const engine = execEngine();
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const error = await t.throwsAsync(
    execCommand(engine.runtime, 'c1', {cmd: ['sleep', '100'], signal: controller.signal}),
    {instanceOf: EngineError},
  );
  t.is(error?.code, 'CANCELLED');
  t.is(engine.specs.length, 2);
});

test('output past the cap is dropped but drained, and the result says truncated', async (t) => {
  const engine = execEngine();
  const running = execCommand(engine.runtime, 'c1', {cmd: ['yes'], maxOutputBytes: 5});
  await new Promise((resolve) => setImmediate(resolve));
  engine.main.out.write('ééééé');
  engine.complete(0);
  const result = await running;
  t.is(result.stdout, 'éé');
  t.true(result.truncated);
});

test('bad options are VALIDATION and nothing reaches the runtime', async (t) => {
  const {runtime, calls} = stubRuntime({});
  for (const options of [
    {cmd: []},
    {cmd: ['x'], env: ['NOEQUALS']},
    {cmd: ['x'], timeoutMs: 0},
    {cmd: ['x'], maxOutputBytes: -1},
    {cmd: ['x'], workingDir: 'relative'},
  ]) {
    const error = await t.throwsAsync(execCommand(runtime, 'c1', options), {instanceOf: EngineError});
    t.is(error?.code, 'VALIDATION');
  }
  t.is(calls.length, 0);
});

test('a container that is not running is the runtime error, not a hang', async (t) => {
  const {runtime} = stubRuntime({
    createExec: () => Promise.reject(new EngineError('INVALID_STATE', 'container is not running')),
  });
  const error = await t.throwsAsync(execCommand(runtime, 'c1', {cmd: ['true']}), {instanceOf: EngineError});
  t.is(error?.code, 'INVALID_STATE');
});
