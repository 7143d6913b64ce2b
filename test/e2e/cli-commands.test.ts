/**
The headless commands through the real built binary (dist/bcs-executor.mjs) against the real dockerd: apply,
ps --json, inspect, stop, rm, their exit codes, and what an invalid spec does (exit 2, nothing created).
*/
import test from 'ava';
import {execFile} from 'node:child_process';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {LABELS} from '../../src/constants.js';
import {realRuntime} from '../support/docker.js';
import {removeByRunId, runId} from '../support/run-id.js';

const binary = fileURLToPath(new URL('../../dist/bcs-executor.mjs', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [binary, ...args],
      {timeout: 90_000},
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({code, stdout, stderr});
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

const podName = `cli-${runId.replace(/[^a-z0-9]/g, '')}`.slice(0, 40);

function specYaml(name: string): string {
  return [
    `name: ${name}`,
    `labels: {${JSON.stringify(LABELS.testRun)}: ${JSON.stringify(runId)}}`,
    'killPolicy: {graceSeconds: 1}',
    'containers:',
    '  - name: web',
    '    image: bcs-executor/demo:local',
    '    command: httpd',
    "    args: ['-f', '-p', '80', '-h', '/www']",
    '  - name: side',
    '    image: bcs-executor/demo:local',
    '    command: sleep',
    "    args: ['3600']",
    '',
  ].join('\n');
}

let dir = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bcs-cli-'));
});

test.after.always(async () => {
  await removeByRunId(await realRuntime());
  if (dir !== '') await rm(dir, {recursive: true, force: true});
});

test.serial('apply, ps --json, inspect, stop and rm drive one pod end to end', async (t) => {
  const file = join(dir, 'pod.yaml');
  await writeFile(file, specYaml(podName));

  const applied = await cli(['apply', file, '--wait', 'running', '--timeout', '60', '--json']);
  t.is(applied.code, 0, applied.stderr);
  const result = JSON.parse(applied.stdout) as {action: string; pod: {name: string; status: string}};
  t.is(result.action, 'created');
  t.is(result.pod.status, 'running');

  const again = await cli(['apply', file, '--json']);
  t.is(again.code, 0, again.stderr);
  t.is((JSON.parse(again.stdout) as {action: string}).action, 'unchanged');

  const ps = await cli(['ps', '--json']);
  t.is(ps.code, 0, ps.stderr);
  const pods = JSON.parse(ps.stdout) as {
    name: string;
    status: string;
    ip: string;
    message: string;
    containers: {
      name: string;
      id: string;
      status: string;
      healthy: unknown;
      exitCode: unknown;
      oomKilled: boolean;
      restartCount: number;
    }[];
  }[];
  const mine = pods.find((p) => p.name === podName);
  t.truthy(mine, `ps --json lists ${podName}`);
  t.is(mine?.status, 'running');
  t.is(typeof mine?.ip, 'string');
  t.is(typeof mine?.message, 'string');
  t.deepEqual(
    mine?.containers.map((c) => [c.name, c.status]),
    [
      ['web', 'running'],
      ['side', 'running'],
    ],
  );
  for (const container of mine?.containers ?? []) {
    t.regex(container.id, /^[0-9a-f]{64}$/);
    t.true('healthy' in container && 'exitCode' in container);
    t.is(container.oomKilled, false);
    t.is(container.restartCount, 0);
  }

  const text = await cli(['ps']);
  t.regex(text.stdout, new RegExp(`${podName}\\s+running`));

  const inspect = await cli(['inspect', podName, '--json']);
  t.is(inspect.code, 0, inspect.stderr);
  t.is((JSON.parse(inspect.stdout) as {spec: {name: string}}).spec.name, podName);

  const busyRm = await cli(['rm', podName]);
  t.is(busyRm.code, 1, 'a running pod is not removed without --force');
  t.regex(busyRm.stderr, /INVALID_STATE/);

  const stop = await cli(['stop', podName, '--json']);
  t.is(stop.code, 0, stop.stderr);
  t.is((JSON.parse(stop.stdout) as {pod: {status: string}}).pod.status, 'killed');

  const removed = await cli(['rm', podName, '--json']);
  t.is(removed.code, 0, removed.stderr);
  t.true((JSON.parse(removed.stdout) as {changed: boolean}).changed);

  const missing = await cli(['inspect', podName]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /NOT_FOUND/);
});

test.serial('an invalid spec exits 2, lists every problem, and creates nothing', async (t) => {
  const name = `${podName}-bad`.slice(0, 50);
  const bad = [
    `name: ${name}`,
    'containers:',
    '  - name: app',
    '    image: bcs-executor/demo:local',
    '    resources: {memMB: 4}',
    '    limits: {cpus: 0.001}',
    '    bogus: 1',
    '',
  ].join('\n');
  const run = await cli(['apply', '-'], bad);
  t.is(run.code, 2);
  t.regex(run.stderr, /VALIDATION/);
  t.regex(run.stderr, /containers\[0\]\.resources\.memMB/);
  t.regex(run.stderr, /containers\[0\]\.limits\.cpus/);
  t.regex(run.stderr, /containers\[0\]\.bogus/);
  const runtime = await realRuntime();
  const left = await runtime.listContainers({labels: [`${LABELS.pod}=${name}`]});
  t.is(left.length, 0);
});

test('bad usage exits 2 with the command usage', async (t) => {
  const run = await cli(['apply']);
  t.is(run.code, 2);
  t.regex(run.stderr, /Usage: bcs-executor apply FILE/);
  const unknown = await cli(['ps', '--bogus']);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /unknown option --bogus/);
});
