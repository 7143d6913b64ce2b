import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js';
import {InMemoryTransport} from '@modelcontextprotocol/sdk/inMemory.js';
import test from 'ava';
import {allMethods} from '../../rpc/dispatch.js';
import {lazyEngine} from '../../rpc/engine-handle.js';
import {silentLogger} from '../../rpc/log.js';
import {registerTools, toolName} from '../../rpc/mcp/tools.js';
import {DEFAULT_POLICY, type ServerPolicy} from '../../rpc/policy.js';
import {StubEngine} from '../support/stub-engine.js';

async function connect(engine: StubEngine, policy: Partial<ServerPolicy> = {}): Promise<Client> {
  const server = new McpServer({name: 'bcs-executor', version: 'test'}, {capabilities: {tools: {}}});
  registerTools(server, {
    engine: lazyEngine('unix:///stub.sock', () => Promise.resolve(engine)),
    policy: {...DEFAULT_POLICY, ...policy},
    log: silentLogger,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({name: 'test', version: '1'});
  await client.connect(clientSide);
  return client;
}

const spec = {name: 'web', containers: [{name: 'app', image: 'bcs-executor/demo:local'}]};

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  const first = (result.content as {type: string; text: string}[])[0];
  return first?.text ?? '';
}

test('every method except the rpc-only ones is a tool, with annotations from its hints', async (t) => {
  const client = await connect(new StubEngine());
  const {tools} = await client.listTools();
  const expected = allMethods().filter((m) => m.rpcOnly !== true);
  t.deepEqual(
    tools.map((tool) => tool.name),
    expected.map((m) => toolName(m.name)),
  );
  for (const name of ['pod_create', 'pod_list', 'container_exec', 'container_logs', 'image_pull']) {
    t.true(
      tools.some((tool) => tool.name === name),
      name,
    );
  }
  const remove = tools.find((tool) => tool.name === 'pod_remove')!;
  t.like(remove.annotations, {readOnlyHint: false, destructiveHint: true, idempotentHint: true});
  const list = tools.find((tool) => tool.name === 'pod_list')!;
  t.like(list.annotations, {readOnlyHint: true, destructiveHint: false});
  const create = tools.find((tool) => tool.name === 'pod_create')!;
  t.truthy((create.inputSchema.properties?.['spec'] as {anyOf?: unknown[]}).anyOf);
});

test('a tool call runs the method; an engine error is a tool error with the rpc code and data', async (t) => {
  const client = await connect(new StubEngine());
  const created = await client.callTool({name: 'pod_create', arguments: {spec}});
  t.falsy(created.isError);
  t.like(created.structuredContent, {changed: true, pod: {name: 'web'}});
  const exec = await client.callTool({
    name: 'container_exec',
    arguments: {ref: 'web/app', cmd: ['echo', 'x'.repeat(70_000)]},
  });
  const result = exec.structuredContent as {stdout: string; truncated: boolean; stdoutBytes: number};
  t.true(result.truncated);
  t.is(result.stdout.length, 64 * 1024);
  t.is(result.stdoutBytes, 70_000);
  const missing = await client.callTool({name: 'pod_inspect', arguments: {ref: 'nope'}});
  t.true(missing.isError);
  t.like(JSON.parse(text(missing)), {error: {code: 1001, data: {code: 'NOT_FOUND'}}});
});

test('bad arguments are refused with every problem, before the engine is touched', async (t) => {
  const engine = new StubEngine();
  const client = await connect(engine);
  const result = await client.callTool({
    name: 'pod_create',
    arguments: {spec: {name: 'x', containers: []}, extra: 1},
  });
  t.true(result.isError);
  t.regex(text(result), /extra/);
  t.regex(text(result), /containers/);
  t.deepEqual(engine.calls, []);
});

test('--read-only lists only read-only tools', async (t) => {
  const client = await connect(new StubEngine(), {readOnly: true});
  const {tools} = await client.listTools();
  t.true(tools.length > 5);
  t.true(tools.every((tool) => tool.annotations?.readOnlyHint === true));
  t.false(tools.some((tool) => tool.name === 'pod_create'));
});

test('a tool that reports progress sends MCP progress notifications that only grow', async (t) => {
  const client = await connect(new StubEngine());
  const seen: number[] = [];
  const result = await client.callTool(
    {name: 'image_pull', arguments: {ref: 'bcs-executor/demo:local'}},
    undefined,
    {
      onprogress: (progress) => seen.push(progress.progress),
    },
  );
  t.like(result.structuredContent, {changed: true});
  t.true(seen.length >= 3);
  t.deepEqual(
    seen,
    [...seen].sort((a, b) => a - b),
  );
});
