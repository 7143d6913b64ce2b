import type {ExecutionContext} from 'ava';
import test from 'ava';
import type {InteractiveExec} from '../../src/engine/engine.js';
import {exec, execInteractive} from '../../src/engine/io/exec.js';
import {isEngineError} from '../../src/errors.js';
import {cleanup, plainDeps, startContainer, subject} from './engine-io-support.js';

test.after.always(cleanup);

/** Collects a session's output and waits, bounded, for it to match. */
function watchOutput(session: InteractiveExec): (t: ExecutionContext, pattern: RegExp) => Promise<string> {
  let text = '';
  session.output.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return async (t, pattern) => {
    const until = Date.now() + 10_000;
    while (!pattern.test(text)) {
      if (Date.now() > until) {
        t.fail(`no ${String(pattern)} in ${JSON.stringify(text)}`);
        throw new Error('output wait timed out');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return text;
  };
}

test('an interactive shell takes input, follows resizes and returns its exit code', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(['sleep', '300']);
  const session = await execInteractive(plainDeps(runtime), id, {cmd: ['sh'], rows: 24, cols: 80});
  const waitFor = watchOutput(session);
  try {
    session.input.write('stty size; echo "sum=$((40 + 2))"\n');
    await waitFor(t, /24 80[\s\S]*sum=42/);
    await session.resize(40, 120);
    session.input.write('stty size\n');
    await waitFor(t, /40 120/);
    session.input.write('exit 7\n');
    const code = await Promise.race([
      session.exited,
      new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 10_000)),
    ]);
    t.is(code, 7);
  } finally {
    session.close();
  }
});

/** The command lines of the container's processes. */
async function processes(id: string): Promise<string[]> {
  const {runtime} = await subject();
  const top = await runtime.topContainer(id, '-o pid,args');
  return top.processes.map((row) => row.join(' '));
}

test('closing a shell at its prompt ends it with EOF', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(['sleep', '300']);
  const session = await execInteractive(plainDeps(runtime), id, {cmd: ['sh'], rows: 10, cols: 40});
  const waitFor = watchOutput(session);
  session.input.write('echo ready\n');
  await waitFor(t, /ready/);
  session.close();
  const code = await Promise.race([
    session.exited,
    new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 10_000)),
  ]);
  // 0 is the shell's own exit on EOF; a kill would have given 137.
  t.is(code, 0);
});

test('closing a session whose program ignores EOF kills it and its children', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(['sleep', '300']);
  const session = await execInteractive(plainDeps(runtime), id, {
    cmd: ['sh', '-c', 'sleep 123 & echo started; while :; do sleep 1; done'],
    rows: 10,
    cols: 40,
  });
  const waitFor = watchOutput(session);
  await waitFor(t, /started/);
  t.true((await processes(id)).some((args) => args.includes('sleep 123')));
  session.close();
  const code = await Promise.race([
    session.exited,
    new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 15_000)),
  ]);
  t.not(code, 'late');
  t.not(code, 0);
  t.false(
    (await processes(id)).some((args) => args.includes('sleep 123')),
    'the background child went too',
  );
});

test('bad sizes and stopped containers are refused', async (t) => {
  const {runtime} = await subject();
  const deps = plainDeps(runtime);
  const id = await startContainer(['sleep', '300']);
  const invalid = await t.throwsAsync(execInteractive(deps, id, {cmd: [], rows: 0, cols: 80}));
  t.true(isEngineError(invalid) && invalid.code === 'VALIDATION');
  t.regex(invalid?.message ?? '', /cmd[\s\S]*rows/);
  await runtime.stopContainer(id, {timeoutSeconds: 0});
  const stopped = await t.throwsAsync(execInteractive(deps, id, {cmd: ['sh'], rows: 24, cols: 80}));
  t.true(isEngineError(stopped) && stopped.code === 'INVALID_STATE', String(stopped));
});

test('exec runs a command to its end with its output and exit code', async (t) => {
  const {runtime} = await subject();
  const id = await startContainer(['sleep', '300']);
  const result = await exec(plainDeps(runtime), id, {
    cmd: ['sh', '-c', 'echo "in $PWD as $GREETING"; echo oops >&2; exit 3'],
    env: ['GREETING=hello'],
    workingDir: '/tmp',
  });
  t.like(result, {
    exitCode: 3,
    stdout: 'in /tmp as hello\n',
    stderr: 'oops\n',
    truncated: false,
    timedOut: false,
  });
  const slow = await exec(plainDeps(runtime), id, {cmd: ['sleep', '30'], timeoutMs: 500});
  t.true(slow.timedOut);
});
