/**
The FakeRuntime's own hooks and the behaviour the contract cannot reach on a real engine (OOM, daemon loss,
health, restart policies, registries): what engine tests rely on when they drive the fake.
*/
import test from 'ava';
import {pack} from 'tar-stream';
import {isEngineError} from '../../src/errors.js';
import type {ContainerCreateSpec, RuntimeEvent} from '../../src/runtime/port.js';
import {FakeRuntime} from '../support/fake-runtime.js';

const IMAGE = 'bcs-executor-test/busybox:local';

function fake(options: ConstructorParameters<typeof FakeRuntime>[0] = {}): FakeRuntime {
  return new FakeRuntime({images: [IMAGE], statsIntervalMs: 10, ...options});
}

function sleeper(extra: Partial<ContainerCreateSpec> = {}): ContainerCreateSpec {
  return {image: IMAGE, cmd: ['sleep', '300'], labels: {app: 'x'}, ...extra, host: {...extra.host}};
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return isEngineError(error) ? error.code : `not an EngineError: ${String(error)}`;
  }
  return 'resolved';
}

function actions(runtime: FakeRuntime, id: string): string[] {
  return runtime.eventLog.filter((event) => event.id === id).map((event) => event.action);
}

test('ids are deterministic and timestamps follow the injected clock', async (t) => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const a = fake({now: () => now});
  const b = fake({now: () => now});
  const first = await a.createContainer(sleeper());
  t.is(first.id, (await b.createContainer(sleeper())).id);
  now += 5_000;
  await a.startContainer(first.id);
  const details = await a.inspectContainer(first.id);
  t.is(details.created, '2030-01-01T00:00:00.000Z');
  t.is(details.state.startedAt, '2030-01-01T00:00:05.000Z');
  const start = a.eventLog.find((event) => event.action === 'start');
  t.is(start?.timeNano !== undefined && start.timeNano / 1_000_000n, BigInt(now));
});

test('simulateExit with oomKilled: oom then die with the code, state shows OOMKilled', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper());
  await runtime.startContainer(id);
  runtime.simulateExit(id, 137, {oomKilled: true});
  t.deepEqual(actions(runtime, id), ['create', 'start', 'oom', 'die']);
  const die = runtime.eventLog.find((event) => event.action === 'die');
  t.is(die?.attributes['exitCode'], '137');
  t.is(die?.attributes['app'], 'x', 'labels ride on events');
  const {state} = await runtime.inspectContainer(id);
  t.true(state.oomKilled);
  t.is(state.exitCode, 137);
  t.is(state.status, 'exited');
});

test('simulateRemove of a running container: kill, die, destroy; then NOT_FOUND', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper());
  await runtime.startContainer(id);
  runtime.simulateRemove(id);
  t.deepEqual(actions(runtime, id), ['create', 'start', 'kill', 'die', 'destroy']);
  t.is(await codeOf(runtime.inspectContainer(id)), 'NOT_FOUND');
});

test('simulateHealth sets state and emits health_status with the status', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper());
  await runtime.startContainer(id);
  runtime.simulateHealth(id, 'unhealthy', {output: 'connection refused'});
  runtime.simulateHealth(id, 'unhealthy');
  const {state} = await runtime.inspectContainer(id);
  t.is(state.health?.status, 'unhealthy');
  t.is(state.health?.failingStreak, 2);
  t.is(state.health?.log[0]?.output, 'connection refused');
  t.true(actions(runtime, id).includes('health_status: unhealthy'));
  const [summary] = await runtime.listContainers({labels: ['app=x']});
  t.regex(summary?.statusText ?? '', /\(unhealthy\)$/);
});

test('the daemon going away ends event streams with ENGINE_UNAVAILABLE; calls fail until it is back', async (t) => {
  const runtime = fake();
  const controller = new AbortController();
  const seen: RuntimeEvent[] = [];
  const reading = (async () => {
    for await (const event of runtime.events({signal: controller.signal})) seen.push(event);
  })();
  await runtime.createContainer(sleeper());
  await new Promise((resolve) => setImmediate(resolve));
  runtime.simulateDaemonDown();
  t.is(await codeOf(reading), 'ENGINE_UNAVAILABLE');
  t.deepEqual(
    seen.map((event) => event.action),
    ['create'],
  );
  t.is(await codeOf(runtime.ping()), 'ENGINE_UNAVAILABLE');
  t.is(await codeOf(runtime.listContainers()), 'ENGINE_UNAVAILABLE');
  runtime.simulateDaemonUp();
  t.is((await runtime.listContainers()).length, 1);
  controller.abort();
});

test('followed logs see fed lines and end with ENGINE_UNAVAILABLE when the daemon goes', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper());
  await runtime.startContainer(id);
  runtime.feedLogs(id, 'stdout', 'one\ntwo\n');
  const chunks: string[] = [];
  const reading = (async () => {
    for await (const chunk of runtime.logs(id, {follow: true})) {
      chunks.push(`${chunk.stream}:${chunk.data.toString()}`);
      if (chunks.length === 3) runtime.simulateDaemonDown();
    }
  })();
  await new Promise((resolve) => setImmediate(resolve));
  runtime.feedLogs(id, 'stderr', 'three\n');
  t.is(await codeOf(reading), 'ENGINE_UNAVAILABLE');
  t.deepEqual(chunks, ['stdout:one\n', 'stdout:two\n', 'stderr:three\n']);
});

test('onExec scripts commands (latest registration first); unregister restores the shell', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper());
  await runtime.startContainer(id);
  const off = runtime.onExec((cmd) =>
    cmd[0] === 'probe' ? {exitCode: 3, stdout: 'partial', stderr: 'boom', delayMs: 20} : undefined,
  );
  const execId = await runtime.createExec(id, {cmd: ['probe']});
  const session = await runtime.startExec(execId);
  t.true((await runtime.inspectExec(execId)).running);
  let out = '';
  session.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  session.stderr.resume();
  await session.ended;
  t.is(out, 'partial');
  t.deepEqual(await runtime.inspectExec(execId), {
    id: execId,
    running: false,
    exitCode: 3,
    pid: (await runtime.inspectExec(execId)).pid,
    containerId: id,
  });
  t.true(actions(runtime, id).includes('exec_die'));
  off();
  const shellExec = await runtime.createExec(id, {cmd: ['probe']});
  const shell = await runtime.startExec(shellExec);
  shell.stdout.resume();
  shell.stderr.resume();
  await shell.ended;
  // Without a program, `probe` is an executable the container does not have: runc's 126.
  t.is((await runtime.inspectExec(shellExec)).exitCode, 126);
});

test('execs end with 137 when their container stops', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper());
  await runtime.startContainer(id);
  const execId = await runtime.createExec(id, {cmd: ['sleep', '60']});
  const session = await runtime.startExec(execId);
  await runtime.stopContainer(id);
  await session.ended;
  t.is((await runtime.inspectExec(execId)).exitCode, 137);
});

test('onRun scripts a main process', async (t) => {
  const runtime = fake();
  runtime.onRun((cmd) => (cmd.includes('--crash') ? {stderr: 'fatal\n', exitCode: 2} : undefined));
  const {id} = await runtime.createContainer({image: IMAGE, cmd: ['app', '--crash'], host: {}});
  await runtime.startContainer(id);
  t.deepEqual(await runtime.waitContainer(id), {exitCode: 2});
  const logs: string[] = [];
  for await (const chunk of runtime.logs(id)) logs.push(`${chunk.stream}:${chunk.data.toString()}`);
  t.deepEqual(logs, ['stderr:fatal\n']);
});

test('injectFailure fails the next calls of a method, optionally only for matching arguments', async (t) => {
  const runtime = fake();
  const {id: a} = await runtime.createContainer(sleeper());
  const {id: b} = await runtime.createContainer(sleeper());
  runtime.injectFailure('startContainer', (args) => (args[0] === b ? new Error('boom') : undefined));
  t.deepEqual(await runtime.startContainer(a), {changed: true});
  await t.throwsAsync(runtime.startContainer(b), {message: 'boom'});
  t.deepEqual(await runtime.startContainer(b), {changed: true}, 'only once');
  t.deepEqual(runtime.callLog.slice(-3), [
    `startContainer ${a}`,
    `startContainer ${b}`,
    `startContainer ${b}`,
  ]);
});

test('restart policy on-failure restarts a failing container up to its count', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer({
    image: IMAGE,
    cmd: ['sh', '-c', 'exit 1'],
    host: {restartPolicy: {name: 'on-failure', maximumRetryCount: 2}},
  });
  await runtime.startContainer(id);
  // Three runs: the first and two restarts, each ending in a die.
  const until = Date.now() + 5_000;
  while (actions(runtime, id).filter((action) => action === 'die').length < 3 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  const details = await runtime.inspectContainer(id);
  t.is(details.restartCount, 2);
  t.is(details.state.status, 'exited');
  t.is(actions(runtime, id).filter((action) => action === 'start').length, 3);
});

test('stop leaves an always-restart container down; autoRemove removes on exit', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper({host: {restartPolicy: {name: 'always'}}}));
  await runtime.startContainer(id);
  await runtime.stopContainer(id);
  await new Promise((resolve) => setImmediate(resolve));
  t.is((await runtime.inspectContainer(id)).state.status, 'exited');

  const {id: auto} = await runtime.createContainer({image: IMAGE, cmd: ['true'], host: {autoRemove: true}});
  await runtime.startContainer(auto);
  await runtime.waitContainer(auto);
  t.deepEqual(actions(runtime, auto), ['create', 'start', 'die', 'destroy']);
  t.deepEqual(await runtime.removeContainer(auto), {changed: false});
});

test('Docker refuses hostname, ports, DNS and extra hosts on a container: network mode (400s)', async (t) => {
  const runtime = fake();
  const member = (extra: Partial<ContainerCreateSpec>) =>
    runtime.createContainer({image: IMAGE, ...extra, host: {networkMode: 'container:infra', ...extra.host}});
  t.is(await codeOf(member({hostname: 'x'})), 'ENGINE_ERROR');
  t.is(await codeOf(member({host: {portBindings: {'80/tcp': [{hostPort: '8080'}]}}})), 'ENGINE_ERROR');
  t.is(await codeOf(member({host: {dns: ['1.1.1.1']}})), 'ENGINE_ERROR');
  t.is(await codeOf(member({host: {extraHosts: ['a:1.2.3.4']}})), 'ENGINE_ERROR');
  t.is(await codeOf(member({exposedPorts: ['80/tcp']})), 'ENGINE_ERROR');
  t.is(await codeOf(runtime.createContainer(sleeper({host: {memory: 4 * 1024 * 1024}}))), 'ENGINE_ERROR');
  t.is(await codeOf(runtime.createContainer(sleeper({host: {cpuQuota: 500}}))), 'ENGINE_ERROR');
  t.is(await codeOf(runtime.createContainer(sleeper({name: 'a b'}))), 'ENGINE_ERROR');
});

test('start of a member whose infra is missing is NOT_FOUND; on a missing user network NOT_FOUND network', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper({host: {networkMode: 'container:nosuch'}}));
  t.is(await codeOf(runtime.startContainer(id)), 'NOT_FOUND');
  const {id: onNet} = await runtime.createContainer(sleeper({host: {networkMode: 'nonet'}}));
  try {
    await runtime.startContainer(onNet);
    t.fail('started on a missing network');
  } catch (error) {
    t.true(isEngineError(error) && error.details['resource'] === 'network');
  }
});

test('published ports get host ports on start and lose them on stop', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(
    sleeper({
      host: {portBindings: {'80/tcp': [{hostIp: '127.0.0.1', hostPort: ''}], '53/udp': [{hostPort: '5353'}]}},
    }),
  );
  await runtime.startContainer(id);
  const {network} = await runtime.inspectContainer(id);
  t.deepEqual(network.ports, [
    {containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 32768},
    {containerPort: 53, protocol: 'udp', hostIp: '0.0.0.0', hostPort: 5353},
  ]);
  await runtime.stopContainer(id);
  t.deepEqual((await runtime.inspectContainer(id)).network.ports, []);
});

test('registry images pull with progress; auth is only for their registry; a stall times out', async (t) => {
  const runtime = fake();
  runtime.addRegistryImage('registry.local:5000/team/app:1.0', {
    config: {cmd: ['app']},
    auth: {username: 'u', password: 'p'},
  });
  t.is(await codeOf(runtime.pullImage('registry.local:5000/team/app:1.0')), 'IMAGE_PULL_FAILED');
  t.is(
    await codeOf(
      runtime.pullImage('registry.local:5000/team/app:1.0', {
        auth: {username: 'u', password: 'p', serveraddress: 'other.local:5000'},
      }),
    ),
    'IMAGE_PULL_FAILED',
  );
  const statuses: string[] = [];
  await runtime.pullImage('registry.local:5000/team/app:1.0', {
    auth: {username: 'u', password: 'p', serveraddress: 'registry.local:5000'},
    onProgress: (event) => statuses.push(event.status ?? ''),
  });
  t.true(statuses.some((status) => status.startsWith('Status: Downloaded')));
  t.deepEqual((await runtime.inspectImage('registry.local:5000/team/app:1.0'))?.config.cmd, ['app']);

  runtime.addRegistryImage('busybox:stalled', {config: {}, stallMs: 200});
  t.is(await codeOf(runtime.pullImage('busybox:stalled', {inactivityTimeoutMs: 20})), 'TIMEOUT');
  await runtime.pullImage('busybox:stalled', {inactivityTimeoutMs: 1_000});
  t.truthy(
    await runtime.inspectImage('docker.io/library/busybox:stalled'),
    'familiar and full names resolve alike',
  );
});

test('buildImage reads the Dockerfile: FROM scratch, COPY, ENV, CMD, labels', async (t) => {
  const runtime = fake();
  const tar = pack();
  tar.entry(
    {name: 'Dockerfile'},
    'FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin\nCMD ["httpd", "-f"]\nLABEL a=b\n',
  );
  tar.entry({name: 'rootfs/www/index.html'}, 'hello');
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
  const {imageId} = await runtime.buildImage(Buffer.concat(chunks), {
    tag: 'demo/web:local',
    labels: {run: '1'},
  });
  const image = await runtime.inspectImage('demo/web:local');
  t.is(image?.id, imageId);
  t.deepEqual(image?.config.cmd, ['httpd', '-f']);
  t.deepEqual(image?.config.env, ['PATH=/bin']);
  t.deepEqual(image?.labels, {a: 'b', run: '1'});
  const {id} = await runtime.createContainer({image: 'demo/web:local', host: {}});
  t.is((await runtime.statPath(id, '/www/index.html')).size, 5);
  t.is(await codeOf(runtime.buildImage(Buffer.alloc(1024), {tag: 'x:y'})), 'ENGINE_ERROR');
});

test('removeImage: untags a multi-tag image, refuses one in use, force removes a stopped user', async (t) => {
  const runtime = fake();
  await runtime.tagImage(IMAGE, 'extra/tag:1');
  t.deepEqual(await runtime.removeImage('extra/tag:1'), {changed: true});
  t.truthy(await runtime.inspectImage(IMAGE));
  const {id} = await runtime.createContainer(sleeper());
  t.is(await codeOf(runtime.removeImage(IMAGE)), 'INVALID_STATE');
  await runtime.startContainer(id);
  t.is(
    await codeOf(runtime.removeImage(IMAGE, {force: true})),
    'INVALID_STATE',
    'a running user blocks even force',
  );
  await runtime.stopContainer(id);
  t.deepEqual(await runtime.removeImage(IMAGE, {force: true}), {changed: true});
  t.is(await runtime.inspectImage(IMAGE), null);
});

test('events replay from since and filter by type, label and action prefix', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper());
  await runtime.startContainer(id);
  runtime.simulateHealth(id, 'healthy');
  const controller = new AbortController();
  const seen: string[] = [];
  for await (const event of runtime.events({
    signal: controller.signal,
    since: 0,
    types: ['container'],
    labels: ['app=x'],
    actions: ['health_status', 'start'],
  })) {
    seen.push(event.action);
    if (seen.length === 2) controller.abort();
  }
  t.deepEqual(seen, ['start', 'health_status: healthy']);
});

test('update refuses memory above the current swap limit without a new swap, as Docker 20.10 does', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper());
  t.is(await codeOf(runtime.updateContainer(id, {memory: 64 << 20})), 'INVALID_STATE');
  await runtime.updateContainer(id, {memory: 64 << 20, memorySwap: 128 << 20});
  await runtime.updateContainer(id, {memory: 32 << 20});
  const {host} = await runtime.inspectContainer(id);
  t.is(host.memory, 32 << 20);
  t.is(host.memorySwap, 128 << 20);
});

test('a cancelled call is CANCELLED and does not happen', async (t) => {
  const runtime = fake();
  const controller = new AbortController();
  controller.abort();
  t.is(await codeOf(runtime.createContainer(sleeper(), {signal: controller.signal})), 'CANCELLED');
  t.deepEqual(await runtime.listContainers(), []);
});

test('the shell: quoting, variables, && and ||, exit codes and redirection to files', async (t) => {
  const runtime = fake();
  const {id} = await runtime.createContainer(sleeper({env: ['NAME=world']}));
  await runtime.startContainer(id);
  const run = async (script: string) => {
    const execId = await runtime.createExec(id, {cmd: ['sh', '-c', script]});
    const session = await runtime.startExec(execId);
    let out = '';
    let err = '';
    session.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    session.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    await session.ended;
    return {out, err, code: (await runtime.inspectExec(execId)).exitCode};
  };
  t.deepEqual(await run(`echo "hello $NAME" 'and $NAME'`), {
    out: 'hello world and $NAME\n',
    err: '',
    code: 0,
  });
  t.deepEqual(await run('false && echo no || echo yes'), {out: 'yes\n', err: '', code: 0});
  t.deepEqual(await run('nosuchcmd; echo $?'), {out: '127\n', err: 'sh: nosuchcmd: not found\n', code: 0});
  t.deepEqual(await run('echo saved > /tmp/f; cat /tmp/f; exit 4'), {out: 'saved\n', err: '', code: 4});
  t.deepEqual(await run('cat /missing'), {
    out: '',
    err: "cat: can't open '/missing': No such file or directory\n",
    code: 1,
  });
});
