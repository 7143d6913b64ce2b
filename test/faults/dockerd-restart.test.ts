/**
The private dockerd restarted under 10 running pods, with a subscribed client of the real binary's rpc server
and the real TUI in tmux both watching it: the client is told the connection went (`engine/connectionChanged`
false) and came back (true) within 5 s of the daemon answering again; afterwards `pod.list` has exactly the 10
pods, each `failed` with the infra's exit code as Docker recorded it (docs/pods.md: a daemon stop is not the
engine's deliberate stop), `pod.start` brings one back to running; the TUI shows the engine unreachable during
the outage and its pods again afterwards, on its own.
*/
import test from 'ava';
import type {PodView} from '../../src/index.js';
import {TmuxSession} from '../support/tmux.js';
import {
  BINARY,
  dockerInspect,
  endRpc,
  faultPodName,
  faultPodSpec,
  note,
  poll,
  Recorder,
  shell,
  spawnRpc,
  summary,
  TERMINABLE_SLEEP,
  useFaultsDaemon,
  describeError,
} from './support/faults.js';

const daemon = useFaultsDaemon(test);

const PODS = 10;
/**
How long the daemon stays down once gone: long enough for the watcher's back-off to grow. BCS_FAULTS_OUTAGE_MS
sets another (past about 9 s the back-off is at its 5 s cap, and where the daemon comes back in that period
decides how long the reconnect takes).
*/
const OUTAGE_MS = Number(process.env['BCS_FAULTS_OUTAGE_MS'] ?? 3000);
/** The promise: connected again within this long after the daemon answers. */
const RECONNECT_MS = 5000;

test('dockerd restarted under 10 running pods: the client sees the outage and the resync, the TUI recovers on its own', async (t) => {
  const host = daemon().host;
  const server = await spawnRpc(host);
  const tui = await TmuxSession.start([process.execPath, BINARY, '--host', host], {columns: 140, rows: 40});
  t.teardown(async () => {
    await tui.kill();
    await endRpc(server);
  });
  const {client} = server;
  const recorder = new Recorder(client);
  const subscribed = await client.api.events.subscribe();
  t.true(subscribed.connection.connected, 'the server is connected before the fault');
  // The TUI's header counts every pod of the daemon: the private daemon must hold none but this test's.
  t.deepEqual(
    subscribed.pods.map((pod) => pod.name),
    [],
    'the private dockerd holds no pods before this test',
  );
  await tui.waitFor(/● connected/, 20_000);

  const prefix = faultPodName('rs');
  const names = Array.from({length: PODS}, (_, i) => `${prefix}-${i}`);
  const created = await Promise.all(
    names.map((name) =>
      client.api.pod.create({
        spec: faultPodSpec(name, [shell('a', TERMINABLE_SLEEP), shell('b', TERMINABLE_SLEEP)]),
        wait: 'running',
        timeoutMs: 90_000,
      }),
    ),
  );
  for (const result of created)
    t.is(result.pod.status, 'running', `${result.pod.name}: ${result.pod.message}`);
  // Only this test's pods live in the private daemon: the TUI's header counts them.
  await tui.waitFor(new RegExp(`pods ${PODS} \\(${PODS} running\\)`), 30_000);
  const before = new Map(created.map((result) => [result.pod.name, result.pod.id]));

  // The fault: SIGTERM to dockerd, which stops every container (no live-restore) and exits.
  const from = recorder.all.length;
  const stopAt = Date.now();
  const goneAt = await daemon().stop();
  note(t, `dockerd stopped in ${goneAt - stopAt} ms`);
  const lost = await recorder.waitFor('engine/connectionChanged', (p) => !p.connected, {
    from,
    timeoutMs: 15_000,
    what: 'connected: false',
  });
  t.is(lost.params.endpoint, host);
  const unreachable = await tui.waitFor(/engine unreachable, retrying/, 15_000);
  t.notRegex(unreachable, /● connected/);
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));

  const relaunchAt = Date.now();
  const answeredAt = await daemon().restart();
  note(t, `dockerd answers again ${answeredAt - relaunchAt} ms after its relaunch`);
  // The first `connected: true` after the last loss, received within the promise.
  await recorder.waitUntil(
    () => {
      const states = recorder.of('engine/connectionChanged', from);
      return states.at(-1)?.params.connected === true && states.at(-1)!.receivedAt >= relaunchAt;
    },
    {
      timeoutMs: 30_000,
      what: () =>
        `connected: true after the relaunch; got ${JSON.stringify(recorder.of('engine/connectionChanged', from).map(summary))}`,
    },
  );
  const states = recorder.of('engine/connectionChanged', from);
  const lastLoss = states.findLastIndex((entry) => !entry.params.connected);
  const back = states.slice(lastLoss + 1).find((entry) => entry.params.connected);
  if (back === undefined) throw new Error('no connected: true after the last loss');
  note(t, `connected: true ${back.receivedAt - answeredAt} ms after the daemon answered`);
  t.true(
    back.receivedAt - answeredAt <= RECONNECT_MS,
    `connected: true came ${back.receivedAt - answeredAt} ms after the daemon answered (promise: ${RECONNECT_MS} ms)`,
  );
  t.true(back.params.resyncRequired, 'a reconnect asks the client to re-list');

  // Resynced: exactly the 10 pods, none duplicated or forgotten, each failed with Docker's infra exit code.
  const listed = await poll(
    async () => {
      const {pods} = await client.api.pod.list();
      const ours = pods.filter((pod) => before.has(pod.name));
      return ours.length === PODS && ours.every((pod) => pod.status === 'failed') ? pods : undefined;
    },
    30_000,
    'every pod failed after the restart',
  );
  t.deepEqual(listed.map((pod) => pod.name).sort(), [...names].sort(), 'exactly the 10 pods, each once');
  for (const pod of listed) {
    t.is(pod.id, before.get(pod.name) ?? '', `${pod.name}: the same infra`);
    const infra = await dockerInspect(host, pod.id);
    t.is(infra.State.Status, 'exited');
    // 137 is the mark of the engine's own stop (docs/pods.md); a daemon stop must never read as one.
    t.not(infra.State.ExitCode, 137, `${pod.name}: the daemon stopped the infra with SIGTERM`);
    t.like(
      pod,
      {status: 'failed', message: `infra container exited (${infra.State.ExitCode})`},
      `${pod.name} after the restart`,
    );
    t.is(pod.infra.exitCode, infra.State.ExitCode);
  }
  // The client was told: every pod's last status notification since the fault says failed.
  for (const name of names) {
    const last = recorder
      .of('pod/statusChanged', from)
      .filter((entry) => entry.params.pod.name === name)
      .at(-1);
    t.like(last?.params.pod, {status: 'failed'} satisfies Partial<PodView>, `${name}: notified`);
  }

  // The TUI came back by itself: connected, the 10 pods counted, their rows shown as failed.
  const recovered = await tui.waitFor(new RegExp(`● connected.*pods ${PODS} \\(0 running\\)`), 30_000);
  t.regex(recovered, new RegExp(`${names[1] ?? ''}\\s+failed`));

  // pod.start brings one back (with the TUI's engine watching the same pod, as a user would have it).
  const first = names[0] ?? '';
  try {
    const started = await client.api.pod.start({ref: first, wait: 'running', timeoutMs: 60_000});
    t.is(started.pod.status, 'running', started.pod.message);
  } catch (error) {
    t.fail(`pod.start ${first} after the restart: ${describeError(error)}`);
  }
  // Running, and still so a moment later (no other engine stopped it again).
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const again = (await client.api.pod.inspect({ref: first})).pod;
  t.like(again, {status: 'running'}, `${first} after pod.start: ${again.message}`);
  const shown = await tui
    .waitFor(new RegExp(`pods ${PODS} \\(1 running\\)`), 15_000)
    .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  t.regex(shown, new RegExp(`${first}\\s+running`), 'the TUI shows the started pod running');

  await Promise.all(names.map((name) => client.api.pod.remove({ref: name, force: true})));
});
