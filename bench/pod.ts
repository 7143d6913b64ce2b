/**
A 3-container pod (infra + 2 apps, local images) up to running and down again (stop + remove):
- through the engine (createEngine: createPod, then stopPod + removePod),
- through the same calls written directly against dockerode one after another (the floor),
- through the docker CLI,
- through `podman pod` when podman is installed,
in one run with interleaved rounds, as medians and ratios. Targets: up no slower than the sequential floor, down
within 10% of it, both well ahead of the CLI and podman.

Also the latency from a kill of a pod member to the engine's status event (p50, p99 over 50 kills), beside the
raw Docker `die` event on its own stream (the floor). Target: p99 under 100 ms.
*/
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {promisify} from 'node:util';
import Docker from 'dockerode';
import {LABELS, LOCAL_IMAGES} from '../src/constants.js';
import {createEngine} from '../src/engine/create-engine.js';
import type {Engine} from '../src/engine/engine.js';
import {createDockerRuntime} from '../src/runtime/docker/index.js';
import type {PodSpec} from '../src/pod/spec-types.js';
import {formatMs, median, printTable, quantile, ratio, verdict} from './stats.js';

const run = promisify(execFile);
const benchId = randomBytes(3).toString('hex');
const BENCH_LABEL = `${LABELS.testRun}=bench-pod-${benchId}`;
/** Exits at once on SIGTERM even as PID 1, so a stop costs milliseconds, not a kill timeout. */
const APP_SCRIPT = 'trap "exit 0" TERM; sleep 3600 & wait';
const GRACE_S = 5;

interface Subject {
  readonly name: string;
  up(pod: string): Promise<void>;
  down(pod: string): Promise<void>;
}

function specFor(pod: string): PodSpec {
  return {
    name: pod,
    labels: {[LABELS.testRun]: `bench-pod-${benchId}`},
    killPolicy: {graceSeconds: GRACE_S},
    containers: [
      {name: 'a', image: LOCAL_IMAGES.demo, command: 'sh', args: ['-c', APP_SCRIPT]},
      {name: 'b', image: LOCAL_IMAGES.demo, command: 'sh', args: ['-c', APP_SCRIPT]},
    ],
  };
}

function engineSubject(engine: Engine): Subject {
  return {
    name: 'engine (createEngine)',
    async up(pod) {
      const result = await engine.createPod(specFor(pod), {wait: 'running', timeoutMs: 60_000});
      if (result.pod.status !== 'running')
        throw new Error(`pod ${pod} is ${result.pod.status}: ${result.pod.message}`);
    },
    async down(pod) {
      await engine.stopPod(pod);
      await engine.removePod(pod, {force: true});
    },
  };
}

function dockerodeSubject(docker: Docker): Subject {
  const labels = {[LABELS.testRun]: `bench-pod-${benchId}`};
  return {
    name: 'dockerode, sequential (floor)',
    async up(pod) {
      const infra = await docker.createContainer({
        name: `${pod}-infra`,
        Image: LOCAL_IMAGES.pause,
        Hostname: pod,
        Labels: labels,
        HostConfig: {Init: true, IpcMode: 'shareable', NetworkMode: 'default'},
      });
      await infra.start();
      for (const app of ['a', 'b']) {
        const container = await docker.createContainer({
          name: `${pod}-${app}`,
          Image: LOCAL_IMAGES.demo,
          Cmd: ['sh', '-c', APP_SCRIPT],
          Labels: labels,
          HostConfig: {NetworkMode: `container:${infra.id}`, IpcMode: `container:${infra.id}`},
        });
        await container.start();
      }
    },
    async down(pod) {
      for (const app of ['b', 'a']) await docker.getContainer(`${pod}-${app}`).stop({t: GRACE_S});
      await docker.getContainer(`${pod}-infra`).kill();
      for (const name of ['b', 'a', 'infra'])
        await docker.getContainer(`${pod}-${name}`).remove({force: true});
    },
  };
}

function cliSubject(): Subject {
  const label = ['--label', BENCH_LABEL];
  return {
    name: 'docker CLI',
    async up(pod) {
      await run('docker', [
        'run',
        '-d',
        '--init',
        '--ipc',
        'shareable',
        '--hostname',
        pod,
        ...label,
        '--name',
        `${pod}-infra`,
        LOCAL_IMAGES.pause,
      ]);
      for (const app of ['a', 'b']) {
        await run('docker', [
          'run',
          '-d',
          ...label,
          '--name',
          `${pod}-${app}`,
          '--network',
          `container:${pod}-infra`,
          '--ipc',
          `container:${pod}-infra`,
          LOCAL_IMAGES.demo,
          'sh',
          '-c',
          APP_SCRIPT,
        ]);
      }
    },
    async down(pod) {
      await run('docker', ['stop', '-t', String(GRACE_S), `${pod}-b`, `${pod}-a`]);
      await run('docker', ['kill', `${pod}-infra`]);
      await run('docker', ['rm', '-f', `${pod}-b`, `${pod}-a`, `${pod}-infra`]);
    },
  };
}

function podmanSubject(): Subject {
  return {
    name: 'podman pod (CLI)',
    async up(pod) {
      await run('podman', [
        'pod',
        'create',
        '--name',
        pod,
        '--label',
        BENCH_LABEL,
        '--infra-image',
        LOCAL_IMAGES.pause,
      ]);
      for (const app of ['a', 'b']) {
        await run('podman', [
          'run',
          '-d',
          '--pod',
          pod,
          '--name',
          `${pod}-${app}`,
          '--label',
          BENCH_LABEL,
          LOCAL_IMAGES.demo,
          'sh',
          '-c',
          APP_SCRIPT,
        ]);
      }
    },
    async down(pod) {
      await run('podman', ['pod', 'stop', '-t', String(GRACE_S), pod]);
      await run('podman', ['pod', 'rm', '-f', pod]);
    },
  };
}

async function hasPodman(): Promise<boolean> {
  try {
    await run('podman', ['image', 'exists', LOCAL_IMAGES.pause]);
    await run('podman', ['image', 'exists', LOCAL_IMAGES.demo]);
    return true;
  } catch {
    return false;
  }
}

async function cleanup(docker: Docker): Promise<void> {
  const leftovers = await docker.listContainers({all: true, filters: {label: [BENCH_LABEL]}});
  await Promise.all(
    leftovers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({force: true})
        .catch(() => undefined),
    ),
  );
  await run('podman', ['pod', 'rm', '-f', '--filter', `label=${BENCH_LABEL}`]).catch(() => undefined);
}

async function upDown(
  subjects: readonly Subject[],
  rounds: number,
): Promise<Map<string, {up: number[]; down: number[]}>> {
  const times = new Map(subjects.map((s) => [s.name, {up: [] as number[], down: [] as number[]}]));
  for (let round = 0; round < rounds + 1; round++) {
    // Interleaved, the first round a warm-up: every subject sees the same machine state.
    for (const [index, subject] of subjects.entries()) {
      const pod = `bench-${benchId}-${round}-${index}`;
      const upStart = performance.now();
      await subject.up(pod);
      const upMs = performance.now() - upStart;
      const downStart = performance.now();
      await subject.down(pod);
      const downMs = performance.now() - downStart;
      if (round > 0) {
        times.get(subject.name)?.up.push(upMs);
        times.get(subject.name)?.down.push(downMs);
      }
    }
  }
  return times;
}

/** Kill → status event latency, through the engine and through a raw Docker event stream (the floor). */
async function killLatency(
  engine: Engine,
  docker: Docker,
  kills: number,
): Promise<{engine: number[]; docker: number[]}> {
  const pod = `bench-${benchId}-kill`;
  const spec: PodSpec = {
    ...specFor(pod),
    containers: [{name: 'a', image: LOCAL_IMAGES.demo, command: 'sh', args: ['-c', APP_SCRIPT]}],
  };
  await engine.createPod(spec, {wait: 'running', timeoutMs: 60_000});
  const member = (await engine.getPod(pod)).containers[0];
  if (member === undefined) throw new Error('the kill pod has no member');
  const memberId = member.id;
  const rawEvents = (await docker.getEvents({
    filters: {type: ['container'], event: ['die'], label: [BENCH_LABEL]},
  })) as NodeJS.ReadableStream & {destroy(): void};
  let dockerWaiter: (() => void) | undefined;
  rawEvents.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes(memberId)) dockerWaiter?.();
  });
  const engineTimes: number[] = [];
  const dockerTimes: number[] = [];
  try {
    for (let i = 0; i < kills; i++) {
      const start = performance.now();
      const engineSaw = new Promise<number>((resolve) => {
        const off = engine.on('container:status', ({container}) => {
          if (container.id === memberId && container.status === 'exited') {
            off();
            resolve(performance.now() - start);
          }
        });
      });
      const dockerSaw = new Promise<number>((resolve) => {
        dockerWaiter = () => resolve(performance.now() - start);
      });
      await docker.getContainer(memberId).kill();
      const [e, d] = await Promise.all([engineSaw, dockerSaw]);
      engineTimes.push(e);
      dockerTimes.push(d);
      // Never policy: the pod failed; start it again for the next kill.
      await engine.startPod(pod, {wait: 'running', timeoutMs: 30_000});
    }
  } finally {
    rawEvents.destroy();
    await engine.removePod(pod, {force: true});
  }
  return {engine: engineTimes, docker: dockerTimes};
}

export async function benchPod(rounds = 10, kills = 50): Promise<void> {
  const docker = new Docker();
  const runtime = await createDockerRuntime();
  const engine = createEngine({runtime, reconcileOnStart: false});
  try {
    const subjects: Subject[] = [dockerodeSubject(docker), engineSubject(engine), cliSubject()];
    if (await hasPodman()) subjects.push(podmanSubject());
    else
      process.stdout.write(
        '(podman or its local images are missing: `bash scripts/setup-host --with-podman`)\n',
      );
    const times = await upDown(subjects, rounds);
    const floor = times.get(subjects[0]?.name ?? '');
    const floorUp = median(floor?.up ?? []);
    const floorDown = median(floor?.down ?? []);
    printTable(
      `3-container pod, up to running and down again (${rounds} interleaved rounds after a warm-up)`,
      ['subject', 'up median', 'up p90', 'up vs floor', 'down median', 'down p90', 'down vs floor'],
      subjects.map((s) => {
        const t = times.get(s.name) ?? {up: [], down: []};
        return [
          s.name,
          formatMs(median(t.up)),
          formatMs(quantile(t.up, 0.9)),
          ratio(median(t.up), floorUp),
          formatMs(median(t.down)),
          formatMs(quantile(t.down, 0.9)),
          ratio(median(t.down), floorDown),
        ];
      }),
    );
    const engineTimes = times.get(subjects[1]?.name ?? '') ?? {up: [], down: []};
    const upOk = median(engineTimes.up) <= floorUp;
    const downOk = median(engineTimes.down) <= floorDown * 1.1;
    process.stdout.write(`\ntarget: up no slower than the sequential floor: ${verdict(upOk)}\n`);
    process.stdout.write(`target: down within 10% of the floor: ${verdict(downOk)}\n`);

    const latency = await killLatency(engine, docker, kills);
    printTable(
      `Kill of a pod member → status event (${kills} kills)`,
      ['observer', 'p50', 'p90', 'p99', 'max'],
      [
        [
          'Docker die event, raw stream (floor)',
          ...[0.5, 0.9, 0.99, 1].map((q) => formatMs(quantile(latency.docker, q))),
        ],
        [
          'engine container:status event',
          ...[0.5, 0.9, 0.99, 1].map((q) => formatMs(quantile(latency.engine, q))),
        ],
      ],
    );
    const p99 = quantile(latency.engine, 0.99);
    process.stdout.write(`\ntarget: engine p99 under 100 ms: ${formatMs(p99)} ${verdict(p99 < 100)}\n`);
  } finally {
    await engine.close();
    await cleanup(docker);
  }
}
