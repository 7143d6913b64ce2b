/**
Invalid pod specs, generated from a table of every field's bounds (support/spec-mutations.ts): each value
just past a bound on its own, and random combinations of invalid fields (fast-check, seed printed). Through
pod.create and pod.apply over rpc (as an object, JSON text and YAML text) every problem comes back in one
-32602 answer, each at its path and nothing else; through `bcs-executor apply` the command exits 2 listing
every path. Nothing is created: no container carries any of the pods' names afterwards, and the secret env
value every spec carries is echoed nowhere.
*/
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import {stringify} from 'yaml';
import {isRpcError, RPC_ERROR, type RpcClient} from '../../rpc/client/index.js';
import {LABELS} from '../../src/constants.js';
import type {PodSpec} from '../../src/index.js';
import {realRuntime} from '../support/docker.js';
import {BINARY} from '../support/rpc-client.js';
import {removeByRunId, runId, testLabels} from '../support/run-id.js';
import {startRpc, stopServer} from './support/server.js';
import {baseSpec, BOUNDS, mutate, MUTATIONS, type Mutation} from './support/spec-mutations.js';

const SEED =
  process.env['BCS_FUZZ_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['BCS_FUZZ_SEED']);
const COMBINATIONS = 150;
/** A secret value every spec carries: it must appear in no answer and no output. */
const SECRET = `sekrit-${randomBytes(8).toString('hex')}`;

let dir = '';
const names = new Set<string>();
let counter = 0;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bcs-invalid-'));
});

test.after.always(async () => {
  await removeByRunId(await realRuntime());
  if (dir !== '') await rm(dir, {recursive: true, force: true});
});

interface Case {
  readonly label: string;
  readonly spec: Record<string, unknown>;
  /** The issue paths the spec must produce, exactly. */
  readonly expect: ReadonlySet<string>;
}

function makeCase(label: string, mutations: readonly Mutation[]): Case {
  counter++;
  const name = `sp-${runId}-${counter}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const spec = mutate(baseSpec(name, SECRET, testLabels()), mutations);
  names.add(typeof spec['name'] === 'string' ? spec['name'] : name);
  return {label, spec, expect: new Set(mutations.flatMap((m) => m.expect))};
}

/** Every bound alone, every field's invalid value alone, all of them at once, and random combinations. */
function cases(): Case[] {
  const list = [
    ...BOUNDS.map((m) => makeCase(`bound ${m.expect.join(',')}`, [m])),
    ...MUTATIONS.map((m) => makeCase(`field ${m.expect.join(',')}`, [m])),
    makeCase('every field at once', MUTATIONS),
  ];
  const subsets = fc.sample(fc.subarray([...MUTATIONS], {minLength: 2}), {numRuns: COMBINATIONS, seed: SEED});
  subsets.forEach((subset, index) => list.push(makeCase(`combination ${index}`, subset)));
  return list;
}

/** The spec as the call sends it: an object, or JSON or YAML text. */
function asParam(spec: Record<string, unknown>, index: number): Record<string, unknown> | string {
  if (index % 3 === 1) return JSON.stringify(spec);
  if (index % 3 === 2) return stringify(spec);
  return spec;
}

function diff(got: ReadonlySet<string>, expected: ReadonlySet<string>): string {
  const missing = [...expected].filter((path) => !got.has(path));
  const extra = [...got].filter((path) => !expected.has(path));
  return `missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`;
}

async function rpcIssues(
  client: RpcClient,
  method: 'pod.create' | 'pod.apply',
  spec: Record<string, unknown> | string,
): Promise<{paths: Set<string>; text: string}> {
  try {
    // Deliberately not a PodSpec: the server must refuse it.
    const result = await client.request(method, {spec: spec as PodSpec | string, wait: 'running'});
    throw new Error(`${method} accepted an invalid spec: ${JSON.stringify(result).slice(0, 200)}`);
  } catch (error) {
    if (!isRpcError(error, RPC_ERROR.InvalidParams)) throw error;
    const issues = (error.data as {issues: {path: string}[]}).issues;
    return {
      paths: new Set(issues.map((issue) => issue.path.replace(/^spec\.?/, ''))),
      text: JSON.stringify({message: error.message, data: error.data}),
    };
  }
}

function cli(args: readonly string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BINARY, ...args], {timeout: 60_000}, (error, stdout, stderr) => {
      resolve({code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr});
    });
  });
}

test.serial('invalid specs over rpc: one -32602 answer listing every problem at its path', async (t) => {
  const server = await startRpc({serverArgs: ['--log-level', 'debug']});
  t.teardown(() => server.child.kill('SIGKILL'));
  const all = cases();
  t.log(`seed ${SEED} (BCS_FUZZ_SEED=${SEED} replays it): ${all.length} specs`);
  const wrong: string[] = [];
  let answers = '';
  for (const [index, c] of all.entries()) {
    const method = index % 2 === 0 ? 'pod.create' : 'pod.apply';
    const {paths, text} = await rpcIssues(server.client, method, asParam(c.spec, index));
    answers += text;
    const same = paths.size === c.expect.size && [...paths].every((path) => c.expect.has(path));
    if (!same) wrong.push(`${c.label} (${method}): ${diff(paths, c.expect)}`);
  }
  t.deepEqual(wrong, [], `seed ${SEED}: specs whose problems were not listed exactly`);
  // Keys with dots keep the engine's notation (labels["dev.bcs-executor.pod"]), not a dotted path.
  t.true(answers.includes('spec.labels[\\"dev.bcs-executor.pod\\"]'));
  t.is(await stopServer(server.client, server), 0);
  t.false(answers.includes(SECRET), 'no answer echoes the secret');
  t.false(server.stdout().toString('utf8').includes(SECRET), 'stdout never shows the secret');
  t.false(server.stderr().includes(SECRET), 'the debug log never shows the secret');
});

test.serial('invalid specs through bcs-executor apply: exit 2, every problem listed', async (t) => {
  const all = cases();
  const chosen = [
    ...all.filter((c) => c.label === 'every field at once'),
    ...all.filter((c) => c.label.startsWith('combination')).slice(0, 6),
    ...all.filter((c) => c.label.startsWith('bound')).filter((_, index) => index % 5 === 0),
  ];
  const wrong: string[] = [];
  const outputs: string[] = [];
  // Four at a time: each is a process of its own.
  for (let at = 0; at < chosen.length; at += 4) {
    await Promise.all(
      chosen.slice(at, at + 4).map(async (c, offset) => {
        const file = join(dir, `spec-${at + offset}.${(at + offset) % 2 === 0 ? 'yaml' : 'json'}`);
        await writeFile(file, (at + offset) % 2 === 0 ? stringify(c.spec) : JSON.stringify(c.spec));
        const run = await cli(['apply', file, '--json']);
        outputs.push(run.stdout, run.stderr);
        if (run.code !== 2) wrong.push(`${c.label}: exit ${run.code}: ${run.stderr.slice(0, 300)}`);
        const missing = [...c.expect].filter((path) => !run.stderr.includes(path));
        if (missing.length > 0) wrong.push(`${c.label}: not listed ${JSON.stringify(missing)}`);
      }),
    );
  }
  t.log(`${chosen.length} specs through apply`);
  t.deepEqual(wrong, [], `seed ${SEED}`);
  t.false(outputs.join('\n').includes(SECRET), 'apply never prints the secret');
});

test.serial('nothing was created for any invalid spec', async (t) => {
  t.true(names.size > 100, `${names.size} pod names were used`);
  const runtime = await realRuntime();
  const containers = await runtime.listContainers({all: true, labels: [LABELS.pod]});
  t.deepEqual(
    containers.filter((c) => names.has(c.labels[LABELS.pod] ?? '')).map((c) => c.name),
    [],
    'no container carries the name of an invalid spec',
  );
});
