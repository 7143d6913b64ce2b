/**
Secret env values never leave the server: a pod carries secrets (a unique random marker, in two containers,
and a plain variable copying one by `$TOKEN`), and a session calls every read method of the table on it (the
test walks the table), follows its events, logs and stats, inspects its containers in both formats, applies
its spec again as YAML text, execs with a marker in the exec env, restarts it, and does the same through every
read-only MCP tool and the headless inspect and ps commands, all with --log-level trace. Every byte the servers
and commands write to stdout and stderr is kept and searched: the marker appears nowhere. (The container
really holds it: an exec compares its sha256, so not even the check prints it.)
*/
import {execFile} from 'node:child_process';
import {createHash, randomBytes} from 'node:crypto';
import test from 'ava';
import {stringify} from 'yaml';
import type {MethodName} from '../../rpc/client/index.js';
import {allMethods} from '../../rpc/dispatch.js';
import {realRuntime} from '../support/docker.js';
import {BINARY, eventually, testPodSpec} from '../support/rpc-client.js';
import {removeByRunId, runId} from '../support/run-id.js';
import {startMcp, stopMcp, toolError} from './support/mcp.js';
import {startRpc, stopServer} from './support/server.js';

const MARKER = `mk${randomBytes(12).toString('hex')}`;
const SECOND = `${MARKER}-second`;
const POD = `sc-${runId}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

function spec() {
  return testPodSpec(POD, [
    {
      name: 'app',
      image: 'bcs-executor/demo:local',
      command: 'httpd',
      args: ['-f', '-p', '80'],
      env: [
        {key: 'TOKEN', value: MARKER, secret: true},
        {key: 'COPY', value: '$TOKEN'},
        {key: 'PLAIN', value: 'visible'},
      ],
    },
    {
      name: 'logger',
      image: 'bcs-executor/demo:local',
      command: 'demo-logger',
      env: [{key: 'PASSWORD', value: SECOND, secret: true}],
    },
  ]);
}

/** Params for every read-only method of the table, aimed at the pod. */
function readParams(subscriptions: {
  logs?: string;
  stats?: string;
  events?: string;
}): Record<string, unknown> {
  return {
    initialize: {},
    shutdown: undefined,
    'system.ping': {engine: true},
    'system.info': {},
    'rpc.discover': {},
    'pod.list': {},
    'pod.inspect': {ref: POD},
    'pod.logs': {ref: POD, tail: 50},
    'pod.stats': {ref: POD},
    'pod.wait': {ref: POD, condition: 'running', timeoutMs: 30_000},
    'container.list': {pod: POD},
    'container.inspect': {ref: `${POD}/app`},
    'container.logs': {ref: `${POD}/logger`, tail: 50},
    'container.stats': {ref: `${POD}/app`},
    'container.top': {ref: `${POD}/app`},
    'image.list': {},
    'image.inspect': {ref: 'bcs-executor/demo:local'},
    'events.subscribe': {pods: [POD]},
    'events.unsubscribe': {subscriptionId: subscriptions.events ?? 'none'},
    'logs.subscribe': {ref: POD, tail: 20},
    'logs.unsubscribe': {subscriptionId: subscriptions.logs ?? 'none'},
    'stats.subscribe': {refs: [POD], intervalMs: 1000},
    'stats.unsubscribe': {subscriptionId: subscriptions.stats ?? 'none'},
  };
}

test.serial(
  'secret env values appear in no output, log or notification of rpc, mcp or the commands',
  async (t) => {
    const server = await startRpc({serverArgs: ['--log-level', 'trace']});
    t.teardown(() => server.child.kill('SIGKILL'));
    const {client} = server;
    await client.connection.sendNotification('$/setTrace', {value: 'verbose'});
    const seen = {notifications: 0, logLines: 0, samples: 0};
    client.connection.onNotification(() => {
      seen.notifications++;
    });
    client.on('logs/data', (p) => {
      seen.logLines += p.lines.length;
    });
    client.on('stats/sample', (p) => {
      seen.samples += p.samples.length;
    });
    const called = new Set<string>(['initialize', 'shutdown']);
    const call = async (method: string, params: unknown): Promise<unknown> => {
      called.add(method);
      return client.request(method as MethodName, params as never);
    };

    const events = (await call('events.subscribe', {pods: [POD]})) as {subscriptionId: string};
    await client.api.pod.create(
      {spec: spec(), wait: 'running', timeoutMs: 120_000},
      {onProgress: () => undefined},
    );
    // The same spec as YAML text: unchanged, so nothing is recreated.
    t.is((await client.api.pod.apply({spec: stringify(spec())})).action, 'unchanged');
    // The container really has the secrets (compared by hash, so nothing prints them).
    const held = await client.api.container.exec({
      ref: `${POD}/app`,
      cmd: ['sh', '-c', 'printf %s "$TOKEN" | sha256sum; printf %s "$COPY" | sha256sum'],
      env: [`EXTRA=${MARKER}`],
    });
    t.deepEqual(
      held.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
      [sha256(MARKER), sha256(MARKER)],
      'TOKEN and its copy hold the secret inside the container',
    );

    const logs = (await call('logs.subscribe', {ref: POD, tail: 20})) as {subscriptionId: string};
    const stats = (await call('stats.subscribe', {refs: [POD], intervalMs: 1000})) as {
      subscriptionId: string;
    };
    const params = readParams({});
    const readOnly = allMethods().filter((method) => method.hints.readOnly);
    for (const method of readOnly) {
      if (['initialize', 'shutdown'].includes(method.name) || method.name.endsWith('subscribe')) continue;
      t.true(method.name in params, `params for ${method.name}`);
      await call(method.name, params[method.name]);
    }
    await call('container.inspect', {ref: `${POD}/app`, format: 'bcs'});
    await call('container.inspect', {ref: `${POD}/logger`, format: 'docker'});
    // Status and log traffic: a restart of the pod, then wait for lines and samples.
    await client.api.pod.restart({ref: POD, graceSeconds: 1});
    await eventually(() => seen.logLines > 0 && seen.samples > 0, 30_000, 'log lines and stats samples');
    const ends = readParams({
      logs: logs.subscriptionId,
      stats: stats.subscriptionId,
      events: events.subscriptionId,
    });
    for (const method of ['logs.unsubscribe', 'stats.unsubscribe', 'events.unsubscribe']) {
      t.deepEqual(await call(method, ends[method]), {changed: true});
    }
    t.deepEqual(
      readOnly.map((method) => method.name).filter((method) => !called.has(method)),
      [],
      'every read method of the table was called',
    );
    t.true(seen.notifications > 0);
    t.is(await stopServer(client, server), 0);

    // The MCP face, every read-only tool.
    const mcp = await startMcp(['--log-level', 'trace']);
    t.teardown(() => mcp.child.kill('SIGKILL'));
    const tools = (await mcp.client.listTools()).tools.map((tool) => tool.name);
    const toolParams = readParams({});
    let toolCalls = 0;
    for (const method of readOnly.filter((m) => m.rpcOnly !== true)) {
      const tool = method.name.replace(/\./g, '_');
      t.true(tools.includes(tool), tool);
      const result = await mcp.client.callTool({
        name: tool,
        arguments: toolParams[method.name] as Record<string, unknown>,
      });
      t.is(toolError(result), undefined, `${tool} answered`);
      toolCalls++;
    }
    const bcs = await mcp.client.callTool({
      name: 'container_inspect',
      arguments: {ref: `${POD}/app`, format: 'bcs'},
    });
    t.is(toolError(bcs), undefined);
    t.true(toolCalls > 10);
    t.is(await stopMcp(mcp), 0);

    // The headless commands.
    const commands = await Promise.all(
      [
        ['inspect', POD, '--json'],
        ['inspect', POD],
        ['ps', '--json'],
      ].map(
        (args) =>
          new Promise<string>((resolve) => {
            execFile(process.execPath, [BINARY, ...args], {timeout: 60_000}, (_error, stdout, stderr) => {
              resolve(`${stdout}\n${stderr}`);
            });
          }),
      ),
    );
    t.true(commands[0]!.includes('TOKEN'), 'inspect --json shows the spec, keys included');

    const everything = [
      server.stdout().toString('utf8'),
      server.stderr(),
      mcp.stdout().toString('utf8'),
      mcp.stderr(),
      ...commands,
    ];
    t.log(
      `rpc: ${server.stdout().length} bytes out, ${server.stderr().length} bytes of log; mcp: ${mcp.stdout().length} ` +
        `bytes out, ${mcp.stderr().length} bytes of log; ${seen.notifications} notifications`,
    );
    t.true(server.stderr().includes('-> pod.create'), 'the trace log was on');
    t.true(server.stdout().toString('utf8').includes('***'), 'masked values were shown as ***');
    for (const [index, text] of everything.entries()) {
      t.false(text.includes(MARKER.slice(2)), `output ${index} holds the marker`);
    }
  },
);

test.serial('a container committed to an image does not carry its secret into image.inspect', async (t) => {
  const server = await startRpc({serverArgs: ['--log-level', 'trace']});
  t.teardown(() => server.child.kill('SIGKILL'));
  const {client} = server;
  if (!(await client.api.pod.list()).pods.some((pod) => pod.name === POD)) {
    await client.api.pod.create({spec: spec(), wait: 'running', timeoutMs: 120_000});
  }
  const image = `bcs-executor-test/secret-${runId}:committed`.toLowerCase();
  t.truthy((await client.api.container.commit({ref: `${POD}/app`, image})).imageId);
  const inspected = JSON.stringify(await client.api.image.inspect({ref: image}));
  const listed = JSON.stringify(await client.api.image.list());
  t.true((await client.api.image.remove({ref: image, force: true})).changed);
  t.is(await stopServer(client, server), 0);
  t.false(inspected.includes(MARKER), 'image.inspect of the committed image shows the secret value');
  t.false(listed.includes(MARKER), 'image.list shows the secret value');
  t.false(server.stdout().toString('utf8').includes(MARKER), "the server's stdout holds the secret");
});
