/**
A whole session through the real binary against the real dockerd: initialize, subscribe, create a pod,
`docker kill` one of its containers behind the server's back, see the status notifications in order, bring
the pod back, exec, logs, stats, remove, shutdown, exit.
*/
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import test from 'ava';
import type {NotificationParams} from '../../rpc/client/index.js';
import {realRuntime} from '../support/docker.js';
import {eventually, spawnClient, testPodSpec} from '../support/rpc-client.js';
import {removeByRunId, uniqueName} from '../support/run-id.js';

const run = promisify(execFile);

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

type Seen =
  | {readonly kind: 'pod'; readonly status: string; readonly previous: string | null}
  | {readonly kind: 'container'; readonly name: string; readonly status: string; readonly action: string};

test('a full session: subscribe, create, docker kill, notifications in order, exec, logs, stats, remove, shutdown', async (t) => {
  const client = await spawnClient({framing: 'ndjson'});
  t.teardown(() => client.child?.kill());
  const name = uniqueName('sess')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);
  const seen: Seen[] = [];
  client.on('pod/statusChanged', (p: NotificationParams['pod/statusChanged']) => {
    if (p.pod.name === name) seen.push({kind: 'pod', status: p.pod.status, previous: p.previous});
  });
  client.on('container/statusChanged', (p: NotificationParams['container/statusChanged']) => {
    if (p.pod === name)
      seen.push({kind: 'container', name: p.container.name, status: p.container.status, action: p.action});
  });
  const removed: string[] = [];
  client.on('pod/removed', (p) => removed.push(p.name));

  const events = await client.api.events.subscribe();
  t.false(events.pods.some((pod) => pod.name === name));
  const spec = testPodSpec(name, [
    {name: 'app', image: 'bcs-executor/demo:local'},
    {name: 'logger', image: 'bcs-executor/demo:local', command: 'demo-logger'},
  ]);
  const created = await client.api.pod.create({spec, wait: 'running'});
  t.is(created.pod.status, 'running');
  await eventually(
    () => seen.some((s) => s.kind === 'pod' && s.status === 'running'),
    15_000,
    'pod running notification',
  );

  // Behind the server's back: the engine sees it through Docker's events.
  const before = seen.length;
  await run('docker', ['kill', `${name}-logger`]);
  await eventually(
    () => seen.slice(before).some((s) => s.kind === 'pod' && s.status === 'failed'),
    15_000,
    'pod failed notification',
  );
  const after = seen.slice(before);
  const died = after.findIndex((s) => s.kind === 'container' && s.name === 'logger' && s.status === 'exited');
  const failed = after.findIndex((s) => s.kind === 'pod' && s.status === 'failed');
  t.true(died !== -1, JSON.stringify(after));
  t.true(died < failed, `the container died before the pod failed: ${JSON.stringify(after)}`);
  t.like(after[failed], {previous: 'running'});
  const pod = await client.api.pod.inspect({ref: name});
  t.is(pod.pod.status, 'failed');
  t.regex(pod.pod.message, /logger/);
  // restartPolicy Never: the engine stops the other apps of a failed pod.
  await eventually(
    () => seen.slice(before).some((s) => s.kind === 'container' && s.name === 'app' && s.status === 'exited'),
    20_000,
    'the other app stopped',
  );
  const stopped = seen
    .slice(before)
    .findIndex((s) => s.kind === 'container' && s.name === 'app' && s.status === 'exited');
  t.true(failed < stopped, 'the other app stopped after the pod failed');

  // A fresh pod of the same name for the rest of the session.
  t.true((await client.api.pod.remove({ref: name, force: true})).changed);
  await eventually(() => removed.includes(name), 15_000, 'pod/removed');
  t.is((await client.api.pod.create({spec, wait: 'running'})).pod.status, 'running');

  const exec = await client.api.container.exec({
    ref: `${name}/app`,
    cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'],
  });
  t.like(exec, {exitCode: 3, stdout: 'out\n', stderr: 'err\n', truncated: false, timedOut: false});

  const lines: {text: string; ts: string}[] = [];
  const logEnds: string[] = [];
  client.on('logs/data', (p) => lines.push(...p.lines));
  client.on('logs/end', (p) => logEnds.push(p.reason));
  const logs = await client.api.logs.subscribe({ref: `${name}/logger`, tail: 2});
  await eventually(() => lines.some((line) => line.text.includes('demo-logger')), 15_000, 'logger lines');
  // The subscription follows the container across a restart: new lines, no logs/end.
  const restartedAt = new Date().toISOString();
  await client.api.container.restart({ref: `${name}/logger`, graceSeconds: 1});
  await eventually(() => lines.some((line) => line.ts > restartedAt), 20_000, 'lines after the restart');
  t.deepEqual(logEnds, []);
  await client.api.logs.unsubscribe({subscriptionId: logs.subscriptionId});
  await eventually(() => logEnds.length === 1, 10_000, 'logs/end');
  t.deepEqual(logEnds, ['unsubscribed']);
  const read = await client.api.container.logs({ref: `${name}/logger`, grep: 'tick'});
  t.true(read.lines.length > 0);

  const samples: NotificationParams['stats/sample']['samples'][number][] = [];
  client.on('stats/sample', (p) => samples.push(...p.samples));
  const stats = await client.api.stats.subscribe({refs: [name], intervalMs: 1000});
  const measured = (container: string) => samples.some((s) => s.container === container && s.memoryBytes > 0);
  await eventually(
    () => measured('app') && measured('logger'),
    20_000,
    'a measured sample of each container',
  );
  await client.api.stats.unsubscribe({subscriptionId: stats.subscriptionId});
  t.true(samples.every((s) => s.memoryPercent >= 0 && s.cpuPercent >= 0 && s.pod === name));

  const gone = await client.api.pod.remove({ref: name, force: true});
  t.true(gone.changed);
  await eventually(() => removed.filter((n) => n === name).length === 2, 15_000, 'pod/removed');
  t.false((await client.api.pod.list()).pods.some((p) => p.name === name));
  t.is(await client.shutdown(), 0);
});

test('secret env values never leave the server, and pods keep running when it exits', async (t) => {
  const client = await spawnClient({serverArgs: ['--log-level', 'trace'], stderr: 'pipe'});
  t.teardown(() => client.child?.kill());
  let log = '';
  client.child?.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const notifications: string[] = [];
  client.connection.onNotification((method: string, params: unknown) => {
    notifications.push(`${method} ${JSON.stringify(params)}`);
  });
  const secret = `s3cr3t-${Date.now().toString(36)}`;
  const name = uniqueName('sec')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);
  await client.api.events.subscribe({pods: [name]});
  const spec = testPodSpec(name, [
    {
      name: 'app',
      image: 'bcs-executor/demo:local',
      env: [
        {key: 'TOKEN', value: secret, secret: true},
        {key: 'PLAIN', value: 'visible'},
      ],
    },
  ]);
  const created = await client.api.pod.create({spec, wait: 'running'});
  const inspected = await client.api.container.inspect({ref: `${name}/app`});
  t.true(inspected.details?.config.env.includes('TOKEN=***'));
  t.true(inspected.details?.config.env.includes('PLAIN=visible'));
  const podSpec = await client.api.pod.inspect({ref: name});
  // The secret really is in the container (the engine passed it on), and nowhere in what the server said.
  t.is(
    (
      await client.api.container.exec({ref: `${name}/app`, cmd: ['sh', '-c', 'printf %s "$TOKEN" | wc -c']})
    ).stdout.trim(),
    String(secret.length),
  );
  const said = JSON.stringify([
    created,
    inspected,
    podSpec,
    await client.api.pod.list(),
    await client.api.container.list({pod: name}),
  ]);
  t.false(said.includes(secret));
  t.false(notifications.join('\n').includes(secret));
  t.true(notifications.length > 0);

  // The end of stdin ends the session; the pod stays.
  t.is(await client.close(), 0);
  t.false(log.includes(secret), 'the log (at trace level) never shows the secret');
  const {stdout} = await run('docker', ['inspect', '-f', '{{.State.Running}}', `${name}-app`]);
  t.is(stdout.trim(), 'true');
});
