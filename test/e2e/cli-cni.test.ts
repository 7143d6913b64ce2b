/**
A CNI pod from the built binary: `--cni-conf-dir` (or BCS_CNI_CONF_DIR) points the engine at a conf dir the
test writes, over Debian's real bridge + host-local plugins; without it the engine looks in /etc/cni/net.d and
says the network is not there. `rm --force` runs the CNI DEL, so no lease is left.
*/
import test from 'ava';
import {execFile} from 'node:child_process';
import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {LABELS} from '../../src/constants.js';
import {realRuntime} from '../support/docker.js';
import {deleteLinkIfExists, freeTestSubnet, shortId, writeBridgeConflist} from '../support/netns.js';
import {removeByRunId, runId} from '../support/run-id.js';

const binary = fileURLToPath(new URL('../../dist/bcs-executor.mjs', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [binary, ...args], {timeout: 90_000, env}, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({code, stdout, stderr});
    });
  });
}

const id = shortId();
const network = `bcs-cli-${id}`;
const bridge = `bcscli${id}`;
let root = '';
let confDir = '';
let dataDir = '';
let prefix = '';

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), `bcs-cli-cni-${id}-`));
  confDir = join(root, 'net.d');
  dataDir = join(root, 'ipam');
  const free = await freeTestSubnet();
  prefix = free.prefix;
  await writeBridgeConflist({
    confDir,
    fileName: '10-cli.conflist',
    network,
    bridge,
    subnet: free.subnet,
    dataDir,
  });
});

test.after.always(async () => {
  await removeByRunId(await realRuntime());
  await deleteLinkIfExists(bridge);
  if (root !== '') await rm(root, {recursive: true, force: true, maxRetries: 10, retryDelay: 100});
});

function specYaml(name: string): string {
  return [
    `name: ${name}`,
    `labels: {${JSON.stringify(LABELS.testRun)}: ${JSON.stringify(runId)}}`,
    `network: {driver: cni, name: ${network}}`,
    'killPolicy: {graceSeconds: 1}',
    'containers:',
    '  - name: app',
    '    image: bcs-executor/demo:local',
    '    command: sleep',
    "    args: ['3600']",
    '',
  ].join('\n');
}

async function leases(): Promise<string[]> {
  const names = await readdir(join(dataDir, network)).catch(() => []);
  return names.filter((name) => name.startsWith(prefix));
}

test.serial(
  'apply --cni-conf-dir brings a CNI pod up on the conf dir network; rm --force releases its lease',
  async (t) => {
    const name = `cli-cni-${id}`;
    const file = join(root, 'pod.yaml');
    await writeFile(file, specYaml(name));

    const applied = await cli([
      'apply',
      file,
      '--cni-conf-dir',
      confDir,
      '--cni-plugin-dir',
      '/usr/lib/cni',
      '--wait',
      'running',
      '--timeout',
      '60',
      '--json',
    ]);
    t.is(applied.code, 0, applied.stderr);
    const result = JSON.parse(applied.stdout) as {action: string; pod: {status: string; ip: string}};
    t.is(result.pod.status, 'running');
    t.true(result.pod.ip.startsWith(prefix), `pod ip ${result.pod.ip} is in ${prefix}0/24`);
    t.deepEqual(await leases(), [result.pod.ip], 'host-local holds the pod ip');

    const removed = await cli(['rm', name, '--force', '--json'], {...process.env, BCS_CNI_CONF_DIR: confDir});
    t.is(removed.code, 0, removed.stderr);
    t.deepEqual(await leases(), [], 'the lease is released');
  },
);

test.serial(
  'without a conf dir flag the engine looks in /etc/cni/net.d and names what is missing',
  async (t) => {
    const name = `cli-cni-none-${id}`;
    const file = join(root, 'none.yaml');
    await writeFile(file, specYaml(name));
    const env = {...process.env};
    delete env['BCS_CNI_CONF_DIR'];
    const applied = await cli(['apply', file], env);
    t.is(applied.code, 1, applied.stdout);
    t.regex(
      applied.stdout,
      new RegExp(
        `pod ${name} was not created, and nothing of it was left: no CNI network named "${network}" in /etc/cni/net.d`,
      ),
    );
    const ps = await cli(['ps', '--json']);
    t.false(
      (JSON.parse(ps.stdout) as {name: string}[]).some((pod) => pod.name === name),
      'nothing is left of it',
    );
  },
);
