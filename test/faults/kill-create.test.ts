/**
SIGKILL of the rpc server at 20 random points inside `pod.create` of a three-container pod, then a fresh server
(the real binary): after its start-up reconcile every pod is either complete and running or fully removed, by
the crash rule of docs/pods.md ("Creation, rollback and crashes": an incomplete pod whose creator is gone is
rolled back; a complete one is left alone). Nothing is orphaned: no container of the run, no network, no veth
on the daemon's bridge; for the CNI variant no IPAM lease in the host-local dataDir and no veth on the CNI
bridge.

The kill points are uniform over the duration of a normal create, measured first on the same daemon. The
seed is printed; BCS_FAULTS_SEED and BCS_FAULTS_CREATE_MS replay a run's kill points exactly.
*/
import {randomInt} from 'node:crypto';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import type {PodSpec} from '../../src/index.js';
import {freeTestSubnet, ipJson, run, shortId, writeBridgeConflist} from '../support/netns.js';
import {runLabelFilter} from '../support/run-id.js';
import {
  BINARY,
  endRpc,
  faultPodName,
  faultPodSpec,
  note,
  removeRunObjects,
  sleeper,
  spawnActingRpc,
  useFaultsDaemon,
  type RpcServerHandle,
} from './support/faults.js';

const daemon = useFaultsDaemon(test);
const KILLS = 20;

/** mulberry32: a small seeded generator, so a failing run's kill points can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function envNumber(name: string): number | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : Number(value);
}

/** One variant: how its servers start, its pod spec, and the host state it must leave clean. */
interface Variant {
  /** Argv for the server that creates (and is killed). */
  readonly creatorArgs: readonly string[];
  readonly spec: (name: string) => PodSpec;
  /** The bridge whose ports must be exactly the running pods' veths. */
  readonly bridge: string;
  /** IPAM leases held now: the CNI variant's host-local files, none for Docker's network. */
  readonly leases: () => Promise<string[]>;
  /** Whether a running pod holds a lease (the CNI variant). */
  readonly leasing: boolean;
}

/** A server on the private daemon, connected and supervising (`args`: the creator's; else the real binary). */
async function ready(args: readonly string[] | undefined): Promise<RpcServerHandle> {
  const {server} = await spawnActingRpc(daemon().host, args === undefined ? {} : {args});
  return server;
}

/** What the daemon holds of one pod: its containers (Docker name, state, whether it ever started). */
interface Held {
  readonly containers: readonly {
    readonly name: string;
    readonly id: string;
    readonly role: string;
    readonly state: string;
  }[];
  readonly expectedApps: number;
}

async function held(name: string): Promise<Held> {
  const runtime = daemon().runtime();
  const signal = AbortSignal.timeout(30_000);
  const list = await runtime.listContainers({all: true, labels: [`dev.bcs-executor.pod=${name}`], signal});
  const containers = list
    .map((c) => ({name: c.name, id: c.id, role: c.labels['dev.bcs-executor.role'] ?? '', state: c.status}))
    .sort((a, b) => a.name.localeCompare(b.name));
  const infra = list.find((c) => c.labels['dev.bcs-executor.role'] === 'infra');
  return {containers, expectedApps: Number(infra?.labels['dev.bcs-executor.containers'] ?? -1)};
}

type Shape = 'nothing' | 'complete' | 'partial';

/** Complete: the infra and every app its label names, all running. Nothing: no container. Else partial. */
function shapeOf(pod: Held): Shape {
  if (pod.containers.length === 0) return 'nothing';
  const apps = pod.containers.filter((c) => c.role === 'app');
  const infra = pod.containers.filter((c) => c.role === 'infra');
  const complete =
    infra.length === 1 &&
    apps.length === pod.expectedApps &&
    pod.containers.every((c) => c.state === 'running');
  return complete ? 'complete' : 'partial';
}

/** The host links enslaved to `bridge` (none when the bridge does not exist). */
async function ports(bridge: string): Promise<string[]> {
  try {
    return ((await ipJson(['link', 'show', 'master', bridge])) as {ifname: string}[]).map((l) => l.ifname);
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) return [];
    throw error;
  }
}

/** Waits until the pod's containers, the leases and the bridge's ports stop changing (in-flight work lands). */
async function quiesce(name: string, variant: Variant): Promise<Held> {
  const snapshot = async () => {
    const pod = await held(name);
    return {pod, key: JSON.stringify([pod, await variant.leases(), await ports(variant.bridge)])};
  };
  let last = await snapshot();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 400));
    const next = await snapshot();
    if (next.key === last.key) return next.pod;
    last = next;
  }
  throw new Error(`pod ${name} kept changing after its creator was killed: ${last.key}`);
}

/** Waits (bounded) until `bridge` has exactly `count` ports: the kernel drops a veth with its netns, later. */
async function portsSettle(bridge: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  let now = await ports(bridge);
  while (now.length !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    now = await ports(bridge);
  }
  return now;
}

/** How long a complete pod is watched after the fresh server took over, to see it left alone. */
const SETTLE_MS = 1000;
/** How long the fresh server may take to roll a half-made pod back after it started supervising. */
const ROLLBACK_MS = 10_000;

/**
Waits (bounded) until nothing of the pod is left in Docker and the fresh server no longer lists it (its view
follows the removals' events); resolves with what Docker holds of it then.
*/
async function rolledBack(name: string, fresh: RpcServerHandle, where: string): Promise<Held> {
  const deadline = Date.now() + ROLLBACK_MS;
  const gone = async () => {
    const now = await held(name);
    const listed = (await fresh.client.api.pod.list()).pods.some((pod) => pod.name === name);
    return {now, done: now.containers.length === 0 && !listed};
  };
  let state = await gone();
  while (!state.done && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    state = await gone();
  }
  if (!state.done) process.stderr.write(`# faults: ${where}: still there after ${ROLLBACK_MS} ms\n`);
  return state.now;
}

/** The names of this run's containers on the private daemon. */
async function runContainers(): Promise<string[]> {
  const signal = AbortSignal.timeout(30_000);
  return (
    await daemon()
      .runtime()
      .listContainers({all: true, labels: [runLabelFilter], signal})
  ).map((c) => c.name);
}

/** One kill: its point, what the killed server left, and what the fresh server made of it. */
interface Outcome {
  readonly i: number;
  readonly delayMs: number;
  readonly replied: boolean;
  readonly left: Shape;
  readonly after: Shape;
}

/** Duration of a normal create on this daemon now (ms, request to reply), the slower of two. */
async function measureCreate(variant: Variant): Promise<number> {
  const fixed = envNumber('BCS_FAULTS_CREATE_MS');
  if (fixed !== undefined) return fixed;
  const server = await ready(variant.creatorArgs);
  try {
    let slowest = 0;
    for (let i = 0; i < 2; i++) {
      const name = faultPodName('kcm');
      const started = performance.now();
      const result = await server.client.api.pod.create({spec: variant.spec(name)});
      slowest = Math.max(slowest, performance.now() - started);
      if (result.pod.status !== 'running') throw new Error(`a normal create failed: ${result.pod.message}`);
      await server.client.api.pod.remove({ref: name, force: true});
    }
    return Math.round(slowest);
  } finally {
    await endRpc(server);
  }
}

async function killDuringCreates(t: ExecutionContext, label: string, variant: Variant): Promise<void> {
  // A failed assertion ends the test: what it left must not fail the next one.
  t.teardown(() => removeRunObjects(daemon()));
  const createMs = await measureCreate(variant);
  const seed = envNumber('BCS_FAULTS_SEED') ?? randomInt(2 ** 31);
  note(
    t,
    `${label}: a normal create takes ${createMs} ms; seed ${seed} ` +
      `(replay: BCS_FAULTS_SEED=${seed} BCS_FAULTS_CREATE_MS=${createMs})`,
  );
  const random = seeded(seed);
  const delays = Array.from({length: KILLS}, () => Math.floor(random() * createMs));
  const outcomes: Outcome[] = [];

  for (const [i, delayMs] of delays.entries()) {
    const name = faultPodName('kc');
    const creator = await ready(variant.creatorArgs);
    const child = creator.client.child;
    if (child === undefined) throw new Error('no server process');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let replied = false;
    const pending = creator.client.api.pod.create({spec: variant.spec(name)}).then(
      () => {
        replied = true;
      },
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.kill('SIGKILL');
    await exited;
    // Disposing rejects the request still pending (its server is gone).
    creator.client.connection.dispose();
    await pending;

    const left = await quiesce(name, variant);
    const fresh = await ready(undefined);
    try {
      const where = `kill ${i} at ${delayMs} ms (seed ${seed}): left ${shapeOf(left)}`;
      // The rule: an incomplete pod whose creator is gone is rolled back (by the supervising engine, within a
      // few seconds of its start); a complete one is left as it is.
      const readyAt = Date.now();
      const after =
        shapeOf(left) === 'complete'
          ? await new Promise((resolve) => setTimeout(resolve, SETTLE_MS)).then(() => held(name))
          : await rolledBack(name, fresh, where);
      const outcome: Outcome = {i, delayMs, replied, left: shapeOf(left), after: shapeOf(after)};
      outcomes.push(outcome);
      if (outcome.left === 'complete') {
        t.deepEqual(after, left, `${where}: a complete pod is left alone`);
        const {pod} = await fresh.client.api.pod.inspect({ref: name});
        t.is(pod.status, 'running', `${where}: ${pod.message}`);
        t.is(pod.containers.filter((c) => c.status === 'running').length, 3, where);
      } else {
        t.deepEqual(after.containers, [], `${where}: nothing of it is left`);
        const {pods} = await fresh.client.api.pod.list();
        t.false(
          pods.some((pod) => pod.name === name),
          `${where}: pod.list does not show it`,
        );
      }
      const running = outcome.after === 'complete' ? 1 : 0;
      const leases = await variant.leases();
      t.is(leases.length, variant.leasing ? running : 0, `${where}: leases ${JSON.stringify(leases)}`);
      t.is(
        (await portsSettle(variant.bridge, running)).length,
        running,
        `${where}: ports of ${variant.bridge}`,
      );

      if (outcome.after === 'complete') await fresh.client.api.pod.remove({ref: name, force: true});
      t.deepEqual(await variant.leases(), [], `${where}: no lease after the remove`);
      t.deepEqual(await portsSettle(variant.bridge, 0), [], `${where}: no veth after the remove`);
      t.deepEqual(await runContainers(), [], `${where}: no container of the run after it`);
      note(
        t,
        `${where}, after the restart ${outcome.after} (${Date.now() - readyAt} ms after the server was ` +
          `ready)${replied ? ' (it had replied)' : ''}`,
      );
    } finally {
      await endRpc(fresh);
    }
  }

  const runtime = daemon().runtime();
  const signal = AbortSignal.timeout(30_000);
  t.deepEqual(await runContainers(), [], 'no container of this run is left');
  t.deepEqual(
    (await runtime.listNetworks({labels: [runLabelFilter], signal})).map((n) => n.name),
    [],
    'no network of this run is left',
  );
  const count = (shape: Shape) => outcomes.filter((o) => o.left === shape).length;
  note(
    t,
    `${label}: killed ${outcomes.length} times; left nothing ${count('nothing')}, partial ${count('partial')}, ` +
      `complete ${count('complete')}; ${outcomes.filter((o) => o.replied).length} replied before the kill`,
  );
  // The kill points must land inside creates, or this proves nothing about half-made pods.
  t.true(count('partial') >= 3, `at least 3 kills left a half-made pod (${count('partial')})`);
  t.is(outcomes.length, KILLS);
}

test('SIGKILL at 20 random points in pod.create (docker network): after a restart each pod is complete or gone', async (t) => {
  const host = daemon().host;
  await killDuringCreates(t, 'docker', {
    creatorArgs: [BINARY, 'rpc', '--host', host],
    spec: (name) => faultPodSpec(name, [sleeper('a'), sleeper('b'), sleeper('c')]),
    bridge: daemon().state.bridge,
    leases: () => Promise.resolve([]),
    leasing: false,
  });
});

test('SIGKILL at 20 random points in pod.create (CNI bridge + host-local): no pod, lease or veth half-left', async (t) => {
  const id = shortId();
  const root = await mkdtemp(join(tmpdir(), `bcs-faults-cni-${id}-`));
  const confDir = join(root, 'net.d');
  const dataDir = join(root, 'ipam');
  const bridge = `bcsk${id}`;
  const network = `bcs-faults-${id}`;
  t.teardown(async () => {
    await run('ip', ['link', 'delete', 'dev', bridge]).catch(() => undefined);
    await rm(root, {recursive: true, force: true, maxRetries: 10, retryDelay: 100});
  });
  const {subnet, prefix} = await freeTestSubnet();
  await writeBridgeConflist({confDir, fileName: '10-faults.conflist', network, bridge, subnet, dataDir});
  const host = daemon().host;
  await killDuringCreates(t, 'cni', {
    creatorArgs: [
      BINARY,
      'rpc',
      '--host',
      host,
      '--cni-conf-dir',
      confDir,
      '--cni-plugin-dir',
      '/usr/lib/cni',
    ],
    spec: (name) =>
      faultPodSpec(name, [sleeper('a'), sleeper('b'), sleeper('c')], {
        network: {driver: 'cni', name: network},
      }),
    bridge,
    leasing: true,
    leases: async () =>
      (await readdir(join(dataDir, network)).catch(() => [] as string[])).filter((file) =>
        file.startsWith(prefix),
      ),
  });
});
