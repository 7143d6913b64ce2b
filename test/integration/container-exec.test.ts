/**
runCommand, runCommandV2 and execCommand against the real dockerd: output, exit codes, env, user, working dir,
caps, and timeouts and cancellation that leave nothing running (checked with `ps` in the container).
*/
import test from 'ava';
import {execCommand} from '../../src/container/exec-command.js';
import {EngineError} from '../../src/errors.js';
import {eventually, processesIn, realContainer, startedSleeper} from '../support/container-helpers.js';
import {realRuntime} from '../support/docker.js';
import {removeByRunId} from '../support/run-id.js';

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

/** The command lines that mark a test's own stray processes. */
const STRAY = /sleep 31[0-9]/;

test('runCommandV2 gives the full stdout and stderr, demultiplexed, and the exit code (seed cases 29, 31)', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  // 100 000 bytes: far past the seed's 256-byte cut.
  const response = await container.runCommandV2({
    id: 'r1',
    containerId: info.id,
    cmd: [
      'sh',
      '-c',
      'i=0; while [ $i -lt 10000 ]; do echo 123456789; i=$((i+1)); done; echo oops >&2; exit 3',
    ],
  });
  t.like(response, {id: 'r1', containerId: info.id, status: 'finish', message: ''});
  t.is(response.commInspect?.stdout.length, 100_000);
  t.is(response.commInspect?.stderr, 'oops\n');
  t.is(response.commInspect?.exitCode, 3);
  t.false(response.commInspect?.truncated);
});

test('runCommandV2 caps output on a character boundary and says truncated (seed case 29)', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  const response = await container.runCommandV2({
    containerId: info.id,
    cmd: ['sh', '-c', 'i=0; while [ $i -lt 300 ]; do printf "é"; i=$((i+1)); done'],
    maxOutputBytes: 257,
  });
  t.is(response.status, 'finish');
  t.is(response.commInspect?.stdout, 'é'.repeat(128));
  t.true(response.commInspect?.truncated);
});

test('env and working dir are honoured; an empty user is the container user, not root (seed case 30)', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container, {user: 'nobody'});
  const response = await container.runCommandV2({
    containerId: info.id,
    cmd: ['sh', '-c', 'echo "$GREETING"; pwd; id -u'],
    env: ['GREETING=hello'],
    workingDir: '/www',
    user: '',
  });
  t.is(response.commInspect?.stdout, 'hello\n/www\n65534\n');
  const asRoot = await container.runCommandV2({containerId: info.id, cmd: ['id', '-u'], user: '0'});
  t.is(asRoot.commInspect?.stdout, '0\n');
});

test('every quick exec reports its own exit code, never a racing 0 (seed case 32)', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  const codes = await Promise.all(
    Array.from({length: 12}, async (_, index) => {
      const response = await container.runCommandV2({
        containerId: info.id,
        cmd: ['sh', '-c', `exit ${index + 1}`],
      });
      return response.commInspect?.exitCode;
    }),
  );
  t.deepEqual(
    codes,
    Array.from({length: 12}, (_, index) => index + 1),
  );
});

test('a command that outlives its timeout is killed with its children: timedOut, nothing left (seed case 30)', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container);
  const started = performance.now();
  const response = await container.runCommandV2({
    containerId: info.id,
    cmd: ['sh', '-c', 'echo before; sleep 311 & sleep 312; echo never'],
    timeoutMs: 700,
  });
  const elapsed = performance.now() - started;
  t.true(elapsed >= 650 && elapsed < 5_000, `took ${elapsed} ms`);
  t.is(response.status, 'failed');
  t.regex(response.message, /timed out after 700 ms/);
  t.like(response.commInspect, {timedOut: true, stdout: 'before\n', exitCode: 137});
  const left = await processesIn(runtime, info.id);
  t.false(
    left.some((line) => STRAY.test(line) || line.includes('echo before')),
    left.join('\n'),
  );
});

test('the in-container kill also leaves nothing running, children re-parented or not', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container, {user: 'nobody'});
  // The first sleep is orphaned (its parent exits at once); the second outlives the timeout in the foreground.
  await execCommand(runtime, info.id, {cmd: ['sh', '-c', '(sleep 313 &) ; true'], timeoutMs: 5_000}).catch(
    () => undefined,
  );
  const result = await execCommand(runtime, info.id, {
    cmd: ['sh', '-c', 'sleep 314 & sleep 315'],
    timeoutMs: 500,
    killVia: 'container',
  });
  t.true(result.timedOut);
  const left = await processesIn(runtime, info.id);
  t.false(
    left.some((line) => /sleep 31[45]/.test(line)),
    left.join('\n'),
  );
  // The orphan of the earlier exec was not timed out: it is not this command's to kill.
  t.true(left.some((line) => line.includes('sleep 313')));
});

test('an orphan of a timed-out command is found by its marker and killed from the host', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container);
  const result = await execCommand(runtime, info.id, {
    cmd: ['sh', '-c', '(sleep 316 &); sleep 317'],
    timeoutMs: 500,
  });
  t.true(result.timedOut);
  const left = await processesIn(runtime, info.id);
  t.false(
    left.some((line) => /sleep 31[67]/.test(line)),
    left.join('\n'),
  );
});

test('cancelling through the signal kills the command too and throws CANCELLED', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 400);
  const error = await t.throwsAsync(
    execCommand(runtime, info.id, {cmd: ['sh', '-c', 'sleep 318 & sleep 319'], signal: controller.signal}),
    {instanceOf: EngineError},
  );
  t.is(error?.code, 'CANCELLED');
  const left = await processesIn(runtime, info.id);
  t.false(
    left.some((line) => /sleep 31[89]/.test(line)),
    left.join('\n'),
  );
});

test('runCommandV2 on a stopped or unknown container is failed with a message, never a throw (seed case 31)', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  await container.stopContainer(info.name, 1);
  const stopped = await container.runCommandV2({containerId: info.id, cmd: ['true']});
  t.is(stopped.status, 'failed');
  t.regex(stopped.message, /not running/);
  t.is(stopped.commInspect, undefined);
  const unknown = await container.runCommandV2({containerId: 'no-such-container-x', cmd: ['true']});
  t.is(unknown.status, 'failed');
  t.regex(unknown.message, /no-such-container-x/i);
});

test('a command that does not exist is failed (Docker refuses at start) or exits 126/127', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  const response = await container.runCommandV2({containerId: info.id, cmd: ['/no/such/binary']});
  if (response.status === 'finish') t.true([126, 127].includes(response.commInspect?.exitCode ?? 0));
  else t.regex(response.message, /no such file|not found|executable file/i);
});

test('runCommand (v1) starts the command and returns; its effect shows up', async (t) => {
  const {container, runtime} = await realContainer();
  const info = await startedSleeper(container);
  await container.runCommand(info.id, ['sh', '-c', 'sleep 0.2; echo done > /tmp/v1-ran']);
  const ran = await eventually(async () => {
    const {stdout} = await execCommand(runtime, info.id, {cmd: ['cat', '/tmp/v1-ran'], timeoutMs: 5_000});
    return stdout === 'done\n';
  });
  t.true(ran);
});

test('runCommand (v1) on a stopped container reports the error', async (t) => {
  const {container} = await realContainer();
  const info = await startedSleeper(container);
  await container.stopContainer(info.name, 1);
  const error = await t.throwsAsync(container.runCommand(info.id, ['true']), {instanceOf: EngineError});
  t.is(error?.code, 'INVALID_STATE');
});
