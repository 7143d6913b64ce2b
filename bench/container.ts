/**
One container's life (create + start + stop + remove of `bcs-executor/demo:local` running a shell that exits
at once on SIGTERM) through DockerContainer, beside the same four calls made directly with dockerode (the
floor) and the docker CLI, in one run with interleaved rounds. Target: the engine within 5% of dockerode.

The engine does more per cycle than the floor (the image presence check before create, and the inspect that
returns the full state); the per-step table shows what each costs.
*/
import {execFile} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {promisify} from 'node:util';
import Docker from 'dockerode';
import {DockerContainer} from '../src/container/docker-container.js';
import {LABELS, LOCAL_IMAGES} from '../src/constants.js';
import type {BcsContainerTask} from '../src/task/types.js';
import {formatMs, median, printTable, quantile, ratio, verdict} from './stats.js';

const run = promisify(execFile);

/** A shell that exits on SIGTERM even as PID 1, so a stop takes milliseconds, not Docker's kill timeout. */
const SHELL_ARGS = ['-c', 'trap "exit 0" TERM; sleep 3600 & wait'];
const CMD = ['sh', ...SHELL_ARGS];
const STOP_TIMEOUT_S = 10;
const TARGET_RATIO = 1.05;

type Step = 'create' | 'start' | 'stop' | 'remove';
const STEPS: readonly Step[] = ['create', 'start', 'stop', 'remove'];

interface Subject {
  readonly name: string;
  /** One life cycle of container `name`; calls `mark(step)` after each step. */
  readonly cycle: (name: string, mark: (step: Step) => void) => Promise<void>;
}

function engineSubject(benchLabel: Record<string, string>): Subject {
  const container = new DockerContainer();
  const labels = Object.entries(benchLabel).map(([key, value]) => ({key, value}));
  return {
    name: 'DockerContainer (engine)',
    async cycle(name, mark) {
      const task: BcsContainerTask = {
        name,
        image: LOCAL_IMAGES.demo,
        command: 'sh',
        args: SHELL_ARGS,
        labels,
      };
      const info = await container.createContainer(name, task);
      mark('create');
      await container.startContainer(info.id);
      mark('start');
      await container.stopContainer(name, STOP_TIMEOUT_S);
      mark('stop');
      await container.removeContainer(name, true);
      mark('remove');
    },
  };
}

function dockerodeSubject(benchLabel: Record<string, string>): Subject {
  const docker = new Docker({socketPath: '/var/run/docker.sock'});
  return {
    name: 'dockerode direct (floor)',
    async cycle(name, mark) {
      // The body the engine sends for the same task: same Cmd, labels, CapAdd and resources.
      const created = await docker.createContainer({
        name,
        Image: LOCAL_IMAGES.demo,
        Cmd: CMD,
        Labels: {[LABELS.managed]: '1', ...benchLabel},
        AttachStdout: true,
        AttachStderr: true,
        HostConfig: {CapAdd: ['SYS_PTRACE'], CpuShares: 1024, OomKillDisable: false},
      });
      mark('create');
      await created.start();
      mark('start');
      await created.stop({t: STOP_TIMEOUT_S});
      mark('stop');
      await created.remove({force: true});
      mark('remove');
    },
  };
}

function cliSubject(benchLabel: Record<string, string>): Subject {
  const labelArgs = Object.entries(benchLabel).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  return {
    name: 'docker CLI',
    async cycle(name, mark) {
      await run('docker', [
        'create',
        '--name',
        name,
        '--cap-add',
        'SYS_PTRACE',
        ...labelArgs,
        LOCAL_IMAGES.demo,
        ...CMD,
      ]);
      mark('create');
      await run('docker', ['start', name]);
      mark('start');
      await run('docker', ['stop', '-t', String(STOP_TIMEOUT_S), name]);
      mark('stop');
      await run('docker', ['rm', '-f', name]);
      mark('remove');
    },
  };
}

interface Samples {
  readonly total: number[];
  readonly steps: Record<Step, number[]>;
}

async function timeCycle(subject: Subject, name: string, samples: Samples): Promise<void> {
  const started = performance.now();
  let last = started;
  await subject.cycle(name, (step) => {
    const now = performance.now();
    samples.steps[step].push(now - last);
    last = now;
  });
  samples.total.push(performance.now() - started);
}

async function removeLeftovers(labelFilter: string): Promise<void> {
  const {stdout} = await run('docker', ['ps', '-aq', '--filter', `label=${labelFilter}`]);
  const ids = stdout.split('\n').filter((id) => id !== '');
  if (ids.length > 0) await run('docker', ['rm', '-f', ...ids]);
}

/** Runs `rounds` interleaved rounds (after one untimed warm-up round) and prints medians and ratios. */
export async function benchContainer(rounds = 30): Promise<void> {
  const benchId = randomBytes(4).toString('hex');
  const benchLabel = {[LABELS.testRun]: `bench-${benchId}`};
  const subjects = [dockerodeSubject(benchLabel), engineSubject(benchLabel), cliSubject(benchLabel)];
  const samples = subjects.map((): Samples => ({
    total: [],
    steps: {create: [], start: [], stop: [], remove: []},
  }));
  let sequence = 0;
  const nextName = (): string => `bench-${benchId}-${(sequence++).toString(36)}`;
  try {
    for (const subject of subjects) await subject.cycle(nextName(), () => undefined);
    for (let round = 0; round < rounds; round++) {
      // Rotate who goes first so that no subject always runs on a warmer (or colder) daemon.
      for (let offset = 0; offset < subjects.length; offset++) {
        const index = (round + offset) % subjects.length;
        const subject = subjects[index];
        const sample = samples[index];
        if (subject !== undefined && sample !== undefined) await timeCycle(subject, nextName(), sample);
      }
    }
  } finally {
    await removeLeftovers(`${LABELS.testRun}=bench-${benchId}`);
  }

  const floor = median(samples[0]?.total ?? []);
  printTable(
    `Container life cycle: create + start + stop + remove (${rounds} interleaved rounds)`,
    ['subject', 'median', 'p90', 'vs floor'],
    subjects.map((subject, index) => {
      const total = samples[index]?.total ?? [];
      return [
        subject.name,
        formatMs(median(total)),
        formatMs(quantile(total, 0.9)),
        ratio(median(total), floor),
      ];
    }),
  );
  printTable(
    'Median per step',
    ['subject', ...STEPS],
    subjects.map((subject, index) => [
      subject.name,
      ...STEPS.map((step) => formatMs(median(samples[index]?.steps[step] ?? []))),
    ]),
  );
  // Rounds are interleaved, so each round's engine-minus-floor difference compares cycles run moments apart on
  // the same daemon. The median difference is robust to the load swings of a shared machine (a median of
  // per-round ratios is not: noisy ratios skew high). Both estimates are printed; the verdict uses the paired one.
  const floorTotals = samples[0]?.total ?? [];
  const engineTotals = samples[1]?.total ?? [];
  const overhead = median(engineTotals.map((value, index) => value - (floorTotals[index] ?? Number.NaN)));
  const paired = 1 + overhead / floor;
  const ofMedians = median(engineTotals) / floor;
  process.stdout.write(
    `\nengine vs floor: ratio of medians ${ofMedians.toFixed(3)}x; median per-round overhead ` +
      `${formatMs(overhead)} = ${paired.toFixed(3)}x\n` +
      `target: engine within 5% of dockerode (paired): ${paired.toFixed(3)}x ${verdict(paired <= TARGET_RATIO)}\n`,
  );
}
