/**
The server flags hold for every method that could break them, on the rpc and the MCP face of the real binary:
- --read-only: every mutating method of the table (walked, not listed by hand) is refused with 1007 even with
  params that would succeed, and afterwards nothing changed (the pod, its containers' start times and host
  config, files, images); MCP lists no mutating tool and cannot call one.
- --allow-privileged: privileged containers, host devices and privileged exec are refused (1013) without it,
  served with it.
- --allow-bind: host binds and upload sources outside the roots are refused (1013), also by way of `..`, a
  symlink (to a directory, to a file, a chain of them, a path below one) and a sibling sharing the root's
  prefix, a dangling symlink to a path outside and a symlink loop); a directory upload copies a symlink as a
  symlink, never the file outside it points to.
*/
import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {isRpcError, RPC_ERROR, type MethodName} from '../../rpc/client/index.js';
import {allMethods} from '../../rpc/dispatch.js';
import {LABELS} from '../../src/constants.js';
import type {PodSpec} from '../../src/index.js';
import {realRuntime} from '../support/docker.js';
import {testPodSpec} from '../support/rpc-client.js';
import {removeByRunId, runId} from '../support/run-id.js';
import {startMcp, stopMcp, toolError} from './support/mcp.js';
import {startRpc, stopServer} from './support/server.js';

const name = (what: string): string => `pl-${what}-${runId}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
const POD = name('target');
const APP = `${POD}/app`;
/** An image tag only image.remove would take away (the image itself is the demo's). */
const KEEP_TAG = `bcs-executor-test/keep-${runId}:local`.toLowerCase();
const OUTSIDE_TEXT = `outside-${runId}`;

let dir = '';
let root = '';
let outside = '';

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bcs-policy-'));
  root = join(dir, 'root');
  outside = join(dir, 'outside');
  await mkdir(join(root, 'data'), {recursive: true});
  await mkdir(join(root, 'dir'), {recursive: true});
  await mkdir(outside, {recursive: true});
  await mkdir(`${root}sibling`, {recursive: true});
  await writeFile(join(root, 'file.txt'), 'inside\n');
  await writeFile(join(root, 'dir', 'ok.txt'), 'inside\n');
  await writeFile(join(outside, 'secret.txt'), `${OUTSIDE_TEXT}\n`);
  await writeFile(join(`${root}sibling`, 'file.txt'), `${OUTSIDE_TEXT}\n`);
  await symlink(outside, join(root, 'link-out'));
  await symlink(join(outside, 'secret.txt'), join(root, 'link-file'));
  await symlink(join(root, 'chain-b'), join(root, 'chain-a'));
  await symlink(outside, join(root, 'chain-b'));
  await symlink(join(outside, 'secret.txt'), join(root, 'dir', 'link'));
  // Dangling: Docker would create a missing bind source by following the link, outside the root.
  await symlink(join(outside, 'not-yet', 'deeper'), join(root, 'dangling'));
  await symlink(join(root, 'loop'), join(root, 'loop'));

  const runtime = await realRuntime();
  await runtime.tagImage('bcs-executor/demo:local', KEEP_TAG);
  const server = await startRpc();
  const spec = testPodSpec(POD, [
    {name: 'app', image: 'bcs-executor/demo:local', command: 'sleep', args: ['3600']},
  ]);
  await server.client.api.pod.create({spec, wait: 'running', timeoutMs: 120_000});
  await stopServer(server.client, server);
});

test.after.always(async () => {
  const runtime = await realRuntime();
  await runtime.removeImage(KEEP_TAG, {}).catch(() => undefined);
  await removeByRunId(runtime);
  if (dir !== '') await rm(dir, {recursive: true, force: true});
});

/** Valid params for every mutating method, aimed at the target pod: each would succeed on a plain server. */
function validParams(): Readonly<Record<string, unknown>> {
  const fresh = testPodSpec(name('ro-new'), [{name: 'app', image: 'bcs-executor/demo:local'}]);
  return {
    'pod.create': {spec: fresh},
    'pod.apply': {spec: fresh},
    'pod.start': {ref: POD},
    'pod.stop': {ref: POD, graceSeconds: 0},
    'pod.restart': {ref: POD, graceSeconds: 0},
    'pod.kill': {ref: POD},
    'pod.remove': {ref: POD, force: true},
    'pod.updateResources': {ref: POD, mem: 64},
    'container.start': {ref: APP},
    'container.stop': {ref: APP, graceSeconds: 0},
    'container.kill': {ref: APP},
    'container.restart': {ref: APP, graceSeconds: 0},
    'container.remove': {ref: APP, force: true},
    'container.exec': {ref: APP, cmd: ['touch', '/tmp/ro-exec']},
    'container.upload': {ref: APP, dest: '/tmp/ro-upload', content: 'x'},
    'container.commit': {ref: APP, image: `bcs-executor-test/ro-${runId}:x`.toLowerCase()},
    'container.update': {ref: APP, mem: 64},
    'image.pull': {ref: 'bcs-executor/demo:local'},
    'image.remove': {ref: KEEP_TAG},
  };
}

async function codeOf(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isRpcError(error)) return error.code;
    throw error;
  }
}

/** What read-only calls must leave as it is: the target's containers, their state and host config. */
async function snapshot(): Promise<string> {
  const runtime = await realRuntime();
  const containers = await runtime.listContainers({all: true, labels: [`${LABELS.pod}=${POD}`]});
  const details = await Promise.all(containers.map((c) => runtime.inspectContainer(c.id)));
  return JSON.stringify(
    details.map((d) => ({id: d.id, state: d.state, host: d.host})).sort((a, b) => a.id.localeCompare(b.id)),
  );
}

test.serial(
  '--read-only refuses every mutating method with params that would succeed, and nothing changes',
  async (t) => {
    const params = validParams();
    const mutating = allMethods().filter((method) => !method.hints.readOnly);
    t.deepEqual(
      mutating.map((method) => method.name).filter((method) => !(method in params)),
      [],
      'every mutating method of the table has valid params here',
    );
    const server = await startRpc({serverArgs: ['--read-only']});
    t.teardown(() => server.child.kill('SIGKILL'));
    const before = await snapshot();
    t.is(before.match(/"running":true/g)?.length, 2, 'the target pod runs (infra and app)');
    for (const method of mutating) {
      const code = await codeOf(
        server.client.request(method.name as MethodName, params[method.name] as never),
      );
      t.is(code, RPC_ERROR.ReadOnlyMode, method.name);
    }
    // Sent as notifications (no id) they are not run either.
    for (const method of mutating)
      await server.client.connection.sendNotification(method.name, params[method.name]);
    t.deepEqual((await server.client.api.system.ping()).ok, true);
    t.is(await snapshot(), before, 'the pod and its containers are as they were');
    const pods = await server.client.api.pod.list();
    t.false(
      pods.pods.some((pod) => pod.name === name('ro-new')),
      'no pod was created',
    );
    const runtime = await realRuntime();
    t.truthy(await runtime.inspectImage(KEEP_TAG), 'the tag image.remove named is still there');
    t.is(
      await runtime.inspectImage(`bcs-executor-test/ro-${runId}:x`.toLowerCase()),
      null,
      'nothing committed',
    );
    t.is(await stopServer(server.client, server), 0);

    // A plain server sees that neither the exec nor the upload happened.
    const plain = await startRpc();
    t.teardown(() => plain.child.kill('SIGKILL'));
    const look = await plain.client.api.container.exec({
      ref: APP,
      cmd: ['sh', '-c', 'ls /tmp/ro-exec /tmp/ro-upload 2>/dev/null | wc -l'],
    });
    t.is(look.stdout.trim(), '0', 'no file from exec or upload');
    t.is(await stopServer(plain.client, plain), 0);

    const mcp = await startMcp(['--read-only']);
    t.teardown(() => mcp.child.kill('SIGKILL'));
    const tools = (await mcp.client.listTools()).tools.map((tool) => tool.name);
    t.deepEqual(
      tools.filter((tool) => mutating.some((method) => method.name.replace(/\./g, '_') === tool)),
      [],
      'MCP lists no mutating tool',
    );
    for (const method of mutating.filter((m) => m.rpcOnly !== true)) {
      const result = await mcp.client
        .callTool({
          name: method.name.replace(/\./g, '_'),
          arguments: params[method.name] as Record<string, unknown>,
        })
        .catch((error: unknown) => ({isError: true, content: [{type: 'text', text: String(error)}]}));
      t.true(result.isError === true, `MCP ${method.name} is refused`);
    }
    t.is(await snapshot(), before, 'and still after the MCP calls');
    t.is(await stopMcp(mcp), 0);
  },
);

function privilegedSpec(what: string, extra: Partial<PodSpec['containers'][number]>): PodSpec {
  return testPodSpec(name(what), [
    {name: 'app', image: 'bcs-executor/demo:local', command: 'sleep', args: ['3600'], ...extra},
  ]);
}

test.serial('privileged containers, host devices and privileged exec need --allow-privileged', async (t) => {
  const plain = await startRpc();
  t.teardown(() => plain.child.kill('SIGKILL'));
  const {client} = plain;
  const privileged = privilegedSpec('priv', {privileged: true});
  const device = privilegedSpec('dev', {extendedResources: [{name: 'fuse', devices: ['/dev/null']}]});
  for (const method of ['pod.create', 'pod.apply'] as const) {
    t.is(
      await codeOf(client.request(method, {spec: privileged})),
      RPC_ERROR.Forbidden,
      `${method} privileged`,
    );
    t.is(await codeOf(client.request(method, {spec: device})), RPC_ERROR.Forbidden, `${method} host device`);
  }
  t.is(
    await codeOf(client.api.container.exec({ref: APP, cmd: ['true'], privileged: true})),
    RPC_ERROR.Forbidden,
    'privileged exec',
  );
  t.false(
    (await client.api.pod.list()).pods.some(
      (pod) => pod.name === privileged.name || pod.name === device.name,
    ),
  );
  t.is(await stopServer(client, plain), 0);

  const mcp = await startMcp();
  t.teardown(() => mcp.child.kill('SIGKILL'));
  t.is(
    toolError(await mcp.client.callTool({name: 'pod_create', arguments: {spec: privileged}}))?.code,
    RPC_ERROR.Forbidden,
  );
  t.is(
    toolError(
      await mcp.client.callTool({
        name: 'container_exec',
        arguments: {ref: APP, cmd: ['true'], privileged: true},
      }),
    )?.code,
    RPC_ERROR.Forbidden,
  );
  t.is(await stopMcp(mcp), 0);

  // With the flag the same calls are served.
  const allowed = await startRpc({serverArgs: ['--allow-privileged']});
  t.teardown(() => allowed.child.kill('SIGKILL'));
  // Served, not refused: the exec runs. (A sandbox that cannot grant every capability, as some CI machines, makes
  // runc fail it with 126 "unable to apply caps"; that is Docker's answer, not the policy's.)
  const exec = await allowed.client.api.container.exec({ref: APP, cmd: ['true'], privileged: true});
  if (exec.exitCode !== 0)
    t.regex(`${exec.stdout}${exec.stderr}`, /caps/, `privileged exec: ${JSON.stringify(exec)}`);
  t.log(`privileged exec with --allow-privileged: exit ${exec.exitCode}`);
  // A host device needs no privilege of the daemon's: it runs.
  const withDevice = await allowed.client.api.pod.create({spec: device, wait: 'running', timeoutMs: 120_000});
  t.is(withDevice.pod.status, 'running', withDevice.pod.message);
  t.true((await allowed.client.api.pod.remove({ref: device.name, force: true})).changed);
  // A privileged pod is served too; such a sandbox has runc refuse it, and the pod says why.
  const created = await allowed.client.api.pod.create({spec: privileged, timeoutMs: 120_000});
  if (created.pod.status !== 'running') {
    t.is(created.pod.status, 'failed');
    t.regex(created.pod.message, /caps/);
  }
  t.log(`privileged pod with --allow-privileged: ${created.pod.status} (${created.pod.message})`);
  await allowed.client.api.pod.remove({ref: privileged.name, force: true}).catch(() => undefined);
  t.is(await stopServer(allowed.client, allowed), 0);
});

test.serial(
  'host binds and upload sources outside the --allow-bind roots are refused, by .. and symlinks too',
  async (t) => {
    const escapes = [
      join(root, '..', 'outside'),
      join(root, 'data', '..', '..', 'outside'),
      join(root, 'link-out'),
      join(root, 'link-out', 'deeper'),
      join(root, 'chain-a'),
      `${root}sibling`,
      outside,
      '/etc',
    ];
    const fileEscapes = [
      join(root, '..', 'outside', 'secret.txt'),
      join(root, 'link-file'),
      join(root, 'link-out', 'secret.txt'),
      join(root, 'chain-a', 'secret.txt'),
      join(root, 'dangling'),
      join(`${root}sibling`, 'file.txt'),
      '/etc/hostname',
    ];
    const bindSpec = (what: string, hostPath: string): PodSpec =>
      testPodSpec(name(what), [
        {
          name: 'app',
          image: 'bcs-executor/demo:local',
          command: 'sleep',
          args: ['3600'],
          volumes: [{hostPath, containerPath: '/data'}],
        },
      ]);

    // No root at all: nothing is allowed, not even a path that would be under one.
    const none = await startRpc();
    t.teardown(() => none.child.kill('SIGKILL'));
    t.is(
      await codeOf(none.client.api.pod.create({spec: bindSpec('b0', join(root, 'data'))})),
      RPC_ERROR.Forbidden,
    );
    t.is(
      await codeOf(
        none.client.api.container.upload({ref: APP, dest: '/tmp/f', source: join(root, 'file.txt')}),
      ),
      RPC_ERROR.Forbidden,
    );
    t.is(await stopServer(none.client, none), 0);

    const server = await startRpc({serverArgs: ['--allow-bind', root]});
    t.teardown(() => server.child.kill('SIGKILL'));
    const {client} = server;
    for (const [index, hostPath] of escapes.entries()) {
      for (const method of ['pod.create', 'pod.apply'] as const) {
        t.is(
          await codeOf(client.request(method, {spec: bindSpec(`b${index + 1}`, hostPath)})),
          RPC_ERROR.Forbidden,
          `${method} binding ${hostPath}`,
        );
      }
    }
    for (const source of [...fileEscapes, ...escapes]) {
      t.is(
        await codeOf(client.api.container.upload({ref: APP, dest: '/tmp/escaped', source})),
        RPC_ERROR.Forbidden,
        `upload from ${source}`,
      );
    }
    t.false(existsSync(join(outside, 'not-yet')), 'nothing was made outside the root');

    // Inside the root the same calls are served; a symlink inside a directory upload stays a symlink.
    const inside = bindSpec('in', join(root, 'data'));
    t.is(
      (await client.api.pod.create({spec: inside, wait: 'running', timeoutMs: 120_000})).pod.status,
      'running',
    );
    t.true(
      (await client.api.container.upload({ref: APP, dest: '/tmp/file.txt', source: join(root, 'file.txt')}))
        .changed,
    );
    t.true(
      (await client.api.container.upload({ref: APP, dest: '/tmp/dir', source: join(root, 'dir')})).changed,
    );
    const seen = await client.api.container.exec({
      ref: APP,
      cmd: [
        'sh',
        '-c',
        'cat /tmp/file.txt /tmp/dir/ok.txt; test -L /tmp/dir/link && echo symlink; cat /tmp/dir/link 2>&1; true',
      ],
    });
    t.regex(seen.stdout, /^inside\ninside\nsymlink\n/);
    t.false(seen.stdout.includes(OUTSIDE_TEXT), 'the file outside the root never reached the container');
    t.true((await client.api.pod.remove({ref: inside.name, force: true})).changed);
    const refused = [...escapes.keys()].map((index) => name(`b${index + 1}`));
    t.false(
      (await client.api.pod.list()).pods.some((pod) => refused.includes(pod.name)),
      'no refused pod exists',
    );
    t.is(await stopServer(client, server), 0);

    const mcp = await startMcp(['--allow-bind', root]);
    t.teardown(() => mcp.child.kill('SIGKILL'));
    t.is(
      toolError(
        await mcp.client.callTool({
          name: 'pod_create',
          arguments: {spec: bindSpec('m1', join(root, 'link-out'))},
        }),
      )?.code,
      RPC_ERROR.Forbidden,
    );
    t.is(
      toolError(
        await mcp.client.callTool({
          name: 'container_upload',
          arguments: {ref: APP, dest: '/tmp/escaped', source: join(root, 'link-file')},
        }),
      )?.code,
      RPC_ERROR.Forbidden,
    );
    t.is(await stopMcp(mcp), 0);
  },
);
