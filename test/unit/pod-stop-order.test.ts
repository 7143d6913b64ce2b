/**
stopApps in reverse order, following each member's exit in /proc (a directory of the test's own here): the
next member's stop is sent once the previous process is gone, before Docker's stop answers, never before the
exit; the step after the apps runs then too; and with hooks, or a process it cannot see, every stop is awaited.
*/
import test from 'ava';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {processExit, processExited, watchable} from '../../src/container/process-exit.js';
import {stopApps, type StopMember} from '../../src/pod/pod-ops.js';
import type {ContainerRuntime} from '../../src/runtime/port.js';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);

/** A /proc of two processes, 101 (container a) and 102 (container b). */
function fakeProc(t: {teardown(fn: () => void): void}): string {
  const root = mkdtempSync(join(tmpdir(), 'bcs-proc-'));
  t.teardown(() => rmSync(root, {recursive: true, force: true}));
  for (const [pid, id] of [
    [101, ID_A],
    [102, ID_B],
  ] as const) {
    mkdirSync(join(root, String(pid)));
    writeFileSync(join(root, String(pid), 'cgroup'), `9:name=systemd:/docker/${id}\n`);
    writeFileSync(join(root, String(pid), 'stat'), `${pid} (sh) S 1 ${pid}`);
  }
  return root;
}

function exit(root: string, pid: number): void {
  rmSync(join(root, String(pid)), {recursive: true, force: true});
}

/** A runtime whose stops answer only when the test says; `log` gets `stop <id>` and `answered <id>`. */
function slowStops(log: string[]): {runtime: ContainerRuntime; answer: (id: string) => void} {
  const pending = new Map<string, () => void>();
  const runtime = {
    stopContainer: (id: string) =>
      new Promise((resolve) => {
        log.push(`stop ${id.slice(0, 1)}`);
        pending.set(id, () => {
          log.push(`answered ${id.slice(0, 1)}`);
          resolve({changed: true});
        });
      }),
  } as unknown as ContainerRuntime;
  return {runtime, answer: (id) => pending.get(id)?.()};
}

const members: StopMember[] = [
  {id: ID_A, name: 'a', graceSeconds: 5, pid: 101},
  {id: ID_B, name: 'b', graceSeconds: 5, pid: 102},
];

async function settle(ms = 30): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

test('watchable needs the container id in the process cgroup; exited means gone from /proc', (t) => {
  const root = fakeProc(t);
  t.true(watchable(101, ID_A, {procRoot: root}));
  t.false(watchable(101, ID_B, {procRoot: root}), 'a pid of another container (or namespace)');
  t.false(watchable(103, ID_A, {procRoot: root}));
  t.false(watchable(0, ID_A, {procRoot: root}));
  t.false(watchable(101, 'abc', {procRoot: root}), 'not a full container id');
  t.false(processExited(101, {procRoot: root}));
  exit(root, 101);
  t.true(processExited(101, {procRoot: root}));
});

test('processExit resolves on the exit, and stops looking once `until` settled', async (t) => {
  const root = fakeProc(t);
  const exited = processExit(101, new Promise(() => undefined), undefined, {procRoot: root});
  let seen = false;
  void exited.then(() => (seen = true));
  await settle();
  t.false(seen);
  exit(root, 101);
  await exited;
  let done!: () => void;
  const until = new Promise<void>((resolve) => {
    done = resolve;
  });
  const never = processExit(102, until, undefined, {procRoot: root});
  let resolved = false;
  void never.then(() => (resolved = true));
  done();
  await settle();
  exit(root, 102);
  await settle();
  t.false(resolved, 'no longer watched');
});

test('the next stop is sent on the previous exit, before Docker answers; the infra step follows the last exit', async (t) => {
  const root = fakeProc(t);
  const log: string[] = [];
  const {runtime, answer} = slowStops(log);
  const stopping = stopApps(runtime, members, {
    procRoot: root,
    afterExit: () => {
      log.push('infra');
      return Promise.resolve();
    },
  });
  let returned = false;
  void stopping.then(() => (returned = true));
  await settle();
  t.deepEqual(log, ['stop b'], 'a waits while b runs');
  exit(root, 102);
  await settle();
  t.deepEqual(log, ['stop b', 'stop a'], "b exited: a's stop goes before b's answer");
  exit(root, 101);
  await settle();
  t.deepEqual(log, ['stop b', 'stop a', 'infra']);
  t.false(returned, "Docker's answers are still awaited");
  answer(ID_A);
  answer(ID_B);
  t.deepEqual(await stopping, [ID_B, ID_A]);
});

test('with hooks, or a process it cannot see, each stop is awaited in full', async (t) => {
  const root = fakeProc(t);
  for (const options of [{procRoot: root, after: () => undefined}, {procRoot: join(root, 'elsewhere')}]) {
    const log: string[] = [];
    const {runtime, answer} = slowStops(log);
    const stopping = stopApps(runtime, members, options);
    exit(root, 102);
    await settle();
    t.deepEqual(log, ['stop b']);
    answer(ID_B);
    await settle();
    t.deepEqual(log, ['stop b', 'answered b', 'stop a']);
    answer(ID_A);
    await stopping;
    mkdirSync(join(root, '102'));
    writeFileSync(join(root, '102', 'cgroup'), `9:name=systemd:/docker/${ID_B}\n`);
    writeFileSync(join(root, '102', 'stat'), '102 (sh) S 1 102');
  }
});

test('a failed stop skips the step after the apps and is thrown once every stop answered', async (t) => {
  const root = fakeProc(t);
  let infra = false;
  const runtime = {
    stopContainer: (id: string) =>
      id === ID_B ? Promise.reject(new Error('daemon error')) : Promise.resolve({changed: true}),
  } as unknown as ContainerRuntime;
  await t.throwsAsync(
    stopApps(runtime, members, {
      procRoot: root,
      afterExit: () => {
        infra = true;
        return Promise.resolve();
      },
    }),
    {message: /daemon error/},
  );
  t.false(infra);
});
