/**
Containers killed, OOM-killed, removed or paused behind the engine's back (the docker CLI on the private daemon),
each fault on three pods at once: the pod's status and message, the member's status, exit code and OOM flag are
exactly what docs/pods.md's table says, both in `pod.inspect` and in the notifications of a subscribed client of
the real binary, and the pod takes no detour through another status on the way.
*/
import test, {type ExecutionContext} from 'ava';
import type {ContainerView, PodView, RestartPolicy} from '../../src/index.js';
import {
  docker,
  endRpc,
  faultPodName,
  faultPodSpec,
  poll,
  Recorder,
  removeRunObjects,
  shell,
  sleeper,
  spawnRpc,
  summary,
  TERMINABLE_SLEEP,
  useFaultsDaemon,
  type RpcServerHandle,
  describeError,
} from './support/faults.js';

const daemon = useFaultsDaemon(test);
/** Each fault, on this many pods at once. */
const REPEATS = 3;

let server: RpcServerHandle | undefined;
let recorder: Recorder | undefined;

test.before(async () => {
  server = await spawnRpc(daemon().host);
  recorder = new Recorder(server.client);
  await server.client.api.events.subscribe();
});

test.after.always(async () => {
  if (server !== undefined) await endRpc(server);
});

function session(): {server: RpcServerHandle; recorder: Recorder} {
  if (server === undefined || recorder === undefined) throw new Error('no rpc server (test.before failed)');
  return {server, recorder};
}

/** What one pod must show after the fault. */
interface Expected {
  readonly pod: {readonly status: PodView['status']; readonly message: string};
  /** The member the fault hit: `infra` or an app's name. */
  readonly member: string;
  readonly container: Pick<ContainerView, 'status' | 'exitCode' | 'oomKilled'> & {
    readonly restartCount?: number;
  };
  /** Actions the member's notifications must include, in this order (`a|b`: either). */
  readonly actions: readonly string[];
  /**
  Other messages a pod notification may carry on the way, with the same status: `docker rm -f` of a running
  container kills it first, and for that moment Docker shows it exited with 137.
  */
  readonly passing?: readonly string[];
}

interface Row {
  readonly fault: string;
  /** The app the fault hits (b, between a and c); the others sleep. */
  readonly target: ReturnType<typeof shell>;
  readonly restartPolicy?: RestartPolicy;
  /** Does the fault to pod `name` with the docker CLI. */
  readonly act: (host: string, name: string) => Promise<void>;
  readonly expected: Expected;
  /** More to check or undo afterwards (pause: unpause). */
  readonly then?: (t: ExecutionContext, host: string, name: string, recorder: Recorder) => Promise<void>;
}

const kill = (signal: string, member: string) => async (host: string, name: string) => {
  await docker(host, ['kill', '--signal', signal, `${name}-${member}`]);
};

const ROWS: readonly Row[] = [
  {
    fault: 'docker kill --signal KILL of a member',
    target: {...sleeper('b')},
    act: kill('KILL', 'b'),
    expected: {
      pod: {status: 'failed', message: 'container b exited with 137'},
      member: 'b',
      container: {status: 'exited', exitCode: 137, oomKilled: false},
      actions: ['die'],
    },
  },
  {
    fault: 'docker kill --signal TERM of a member',
    target: shell('b', TERMINABLE_SLEEP),
    act: kill('TERM', 'b'),
    expected: {
      pod: {status: 'failed', message: 'container b exited with 143'},
      member: 'b',
      container: {status: 'exited', exitCode: 143, oomKilled: false},
      actions: ['die'],
    },
  },
  {
    fault: 'a member OOM-killed (memMB 16 and a shell doubling a string)',
    target: shell(
      'b',
      ['-c', 'while [ ! -e /tmp/go ]; do sleep 0.1; done; x=0123456789abcdef; while :; do x=$x$x; done'],
      {limits: {memMB: 16}},
    ),
    // The allocation starts on a signal from outside, so the pod is running when the kernel kills it.
    act: async (host, name) => {
      await docker(host, ['exec', `${name}-b`, 'touch', '/tmp/go']);
    },
    expected: {
      pod: {status: 'failed', message: 'container b exited with 137 (OOM killed)'},
      member: 'b',
      container: {status: 'exited', exitCode: 137, oomKilled: true},
      actions: ['oom', 'die'],
    },
  },
  {
    fault: 'docker rm -f of a member',
    target: sleeper('b'),
    act: async (host, name) => {
      await docker(host, ['rm', '-f', `${name}-b`]);
    },
    expected: {
      pod: {status: 'failed', message: 'container b was removed'},
      member: 'b',
      container: {status: 'missing', exitCode: null, oomKilled: false},
      actions: ['destroy'],
      passing: ['container b exited with 137'],
    },
  },
  {
    fault: 'docker rm -f of the infra',
    target: sleeper('b'),
    act: async (host, name) => {
      await docker(host, ['rm', '-f', `${name}-infra`]);
    },
    expected: {
      pod: {status: 'failed', message: 'infra container missing'},
      member: 'infra',
      container: {status: 'missing', exitCode: null, oomKilled: false},
      actions: ['destroy'],
      passing: ['infra container exited (137)'],
    },
  },
  {
    // Exit 137 on the infra is also the mark of a deliberate stop; with its apps still up it must not read as one.
    fault: 'docker kill --signal KILL of the infra',
    target: sleeper('b'),
    act: kill('KILL', 'infra'),
    expected: {
      pod: {status: 'failed', message: 'infra container exited (137)'},
      member: 'infra',
      container: {status: 'exited', exitCode: 137, oomKilled: false},
      actions: ['die'],
    },
  },
  {
    fault: 'docker pause of a member (then unpause)',
    target: sleeper('b'),
    act: async (host, name) => {
      await docker(host, ['pause', `${name}-b`]);
    },
    expected: {
      pod: {status: 'running', message: 'running'},
      member: 'b',
      container: {status: 'paused', exitCode: null, oomKilled: false},
      actions: ['pause'],
    },
    then: async (t, host, name, recorder) => {
      const from = recorder.all.length;
      await docker(host, ['unpause', `${name}-b`]);
      const back = await recorder.waitFor(
        'container/statusChanged',
        (p) => p.pod === name && p.container.name === 'b' && p.container.status === 'running',
        {from, timeoutMs: 20_000, what: `${name}/b unpaused`},
      );
      t.is(back.params.action, 'unpause');
    },
  },
  {
    // Docker restarts nothing after a manual kill; under OnFailure the engine does (docs/pods.md).
    fault: 'docker kill --signal KILL of a member under OnFailure',
    target: sleeper('b'),
    restartPolicy: 'OnFailure',
    act: kill('KILL', 'b'),
    expected: {
      pod: {status: 'running', message: 'running'},
      member: 'b',
      // Docker resets the exit code when a container starts again.
      container: {status: 'running', exitCode: 0, oomKilled: false, restartCount: 1},
      // `restart` is how the engine labels the change it made itself; Docker's own `start` may come too.
      actions: ['die', 'start|restart'],
    },
  },
];

function memberOf(pod: PodView, member: string): ContainerView | undefined {
  return member === 'infra' ? pod.infra : pod.containers.find((c) => c.name === member);
}

/** The member's view fields the row checks, from a view. */
function observed(view: ContainerView | undefined, expected: Expected): Record<string, unknown> {
  if (view === undefined) return {};
  return {
    status: view.status,
    exitCode: view.exitCode,
    oomKilled: view.oomKilled,
    ...(expected.container.restartCount === undefined ? {} : {restartCount: view.restartCount}),
  };
}

/** Whether `actions` contains `wanted` in order (`a|b` matches either). */
function inOrder(actions: readonly string[], wanted: readonly string[]): boolean {
  let at = 0;
  for (const want of wanted) {
    const options = want.split('|');
    while (at < actions.length && !options.includes(actions[at] ?? '')) at++;
    if (at === actions.length) return false;
    at++;
  }
  return true;
}

/** The pod as `pod.list` shows it (undefined when it is not listed). */
async function listed(client: RpcServerHandle['client'], name: string): Promise<PodView | undefined> {
  return (await client.api.pod.list()).pods.find((pod) => pod.name === name);
}

for (const row of ROWS) {
  test(`out of band: ${row.fault}`, async (t) => {
    const {server, recorder} = session();
    const {client} = server;
    const host = daemon().host;
    const {expected} = row;
    // A failed assertion ends the test: its pods must not outlive it.
    t.teardown(() => removeRunObjects(daemon()));
    const names = Array.from({length: REPEATS}, () => faultPodName('oob'));
    const start = recorder.all.length;
    const created = await Promise.all(
      names.map((name) =>
        client.api.pod.create({
          spec: faultPodSpec(name, [sleeper('a'), row.target, sleeper('c')], {
            ...(row.restartPolicy === undefined ? {} : {restartPolicy: row.restartPolicy}),
          }),
          wait: 'running',
          timeoutMs: 60_000,
        }),
      ),
    );
    for (const result of created) t.is(result.pod.status, 'running', result.pod.message);
    // A reply is never held back behind notifications: take the mark only once each pod's `running` arrived.
    for (const name of names) {
      await recorder.waitFor('pod/statusChanged', (p) => p.pod.name === name && p.pod.status === 'running', {
        from: start,
        timeoutMs: 20_000,
        what: `${name} running`,
      });
    }

    const from = recorder.all.length;
    await Promise.all(names.map((name) => row.act(host, name)));
    const isMember = (name: string, p: {pod: string; container: ContainerView}) =>
      p.pod === name && p.container.name === expected.member;

    for (const name of names) {
      // The member's notifications carry the actions in order, and the last one the expected state.
      const memberNotes = () =>
        recorder.of('container/statusChanged', from).filter((entry) => isMember(name, entry.params));
      await recorder.waitUntil(
        () => {
          const notes = memberNotes();
          const final = notes.at(-1)?.params.container;
          return (
            inOrder(
              notes.map((entry) => entry.params.action),
              expected.actions,
            ) && JSON.stringify(observed(final, expected)) === JSON.stringify(expected.container)
          );
        },
        {
          timeoutMs: 30_000,
          what: () =>
            `${name}/${expected.member}: actions ${expected.actions.join(',')} ending in ` +
            `${JSON.stringify(expected.container)}; got:\n${memberNotes()
              .map((entry) => JSON.stringify(summary(entry)))
              .join('\n')}`,
        },
      );
      // The list view gets there.
      await poll(
        async () => {
          const pod = await listed(client, name);
          return pod?.status === expected.pod.status && pod.message === expected.pod.message
            ? pod
            : undefined;
        },
        20_000,
        `${name} listed as ${expected.pod.status} "${expected.pod.message}"`,
      );
    }

    // Let late events land, then nothing may have moved: views, and every notification since the fault.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const name of names) {
      const pod = await listed(client, name);
      t.like(pod, expected.pod, `${name}: pod.list after settling`);
      if (pod !== undefined) {
        t.deepEqual(
          observed(memberOf(pod, expected.member), expected),
          expected.container,
          `${name}: pod.list's ${expected.member}`,
        );
      }
      try {
        const inspected = (await client.api.pod.inspect({ref: name})).pod;
        t.like(inspected, expected.pod, `${name}: pod.inspect`);
        t.deepEqual(
          observed(memberOf(inspected, expected.member), expected),
          expected.container,
          `${name}: pod.inspect's ${expected.member}`,
        );
      } catch (error) {
        t.fail(`${name}: pod.inspect of a pod that pod.list shows failed: ${describeError(error)}`);
      }

      const podNotes = recorder
        .of('pod/statusChanged', from)
        .filter((entry) => entry.params.pod.name === name);
      if (expected.pod.status === 'running') {
        t.deepEqual(podNotes.map(summary), [], `${name}: the pod stays running, no pod notification`);
      } else {
        t.true(podNotes.length > 0, `${name}: a pod/statusChanged to ${expected.pod.status}`);
        const messages = [expected.pod.message, ...(expected.passing ?? [])];
        for (const entry of podNotes) {
          t.is(
            entry.params.pod.status,
            expected.pod.status,
            `${name}: every pod notification since the fault`,
          );
          t.true(
            messages.includes(entry.params.pod.message),
            `${name}: pod notification message "${entry.params.pod.message}" is one of ${JSON.stringify(messages)}`,
          );
        }
      }
      const final = recorder
        .of('container/statusChanged', from)
        .filter((entry) => isMember(name, entry.params))
        .at(-1);
      t.deepEqual(
        observed(final?.params.container, expected),
        expected.container,
        `${name}: the member's last notification`,
      );
    }

    if (row.then !== undefined) for (const name of names) await row.then(t, host, name, recorder);
    await Promise.all(names.map((name) => client.api.pod.remove({ref: name, force: true})));
  });
}
