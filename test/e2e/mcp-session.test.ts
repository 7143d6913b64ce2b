/**
`bcs-executor mcp` with the MCP SDK's own Client and stdio transport: list the tools, create a pod, exec in
it, remove it.
*/
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import test from 'ava';
import {realRuntime} from '../support/docker.js';
import {BINARY, testPodSpec} from '../support/rpc-client.js';
import {removeByRunId, uniqueName} from '../support/run-id.js';

test.after.always(async () => {
  await removeByRunId(await realRuntime());
});

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

function structured(result: ToolResult): unknown {
  if (result.isError === true) throw new Error(`tool error: ${JSON.stringify(result.content)}`);
  return result.structuredContent;
}

test('the SDK client lists the tools, creates a pod, execs in it and removes it', async (t) => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BINARY, 'mcp'],
    stderr: 'inherit',
  });
  const client = new Client({name: 'e2e', version: '1.0.0'});
  await client.connect(transport);
  t.teardown(() => client.close());

  const {tools} = await client.listTools();
  const names = tools.map((tool) => tool.name);
  for (const name of ['pod_create', 'pod_list', 'pod_remove', 'container_exec', 'container_logs'])
    t.true(names.includes(name), name);
  t.like(tools.find((tool) => tool.name === 'pod_remove')?.annotations, {
    destructiveHint: true,
    readOnlyHint: false,
  });
  t.like(tools.find((tool) => tool.name === 'pod_list')?.annotations, {readOnlyHint: true});
  t.false(names.includes('events_subscribe'));

  const name = uniqueName('mcp')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);
  const created = structured(
    await client.callTool({name: 'pod_create', arguments: {spec: testPodSpec(name), wait: 'running'}}),
  ) as {changed: boolean; pod: {status: string}};
  t.true(created.changed);
  t.is(created.pod.status, 'running');

  const exec = structured(
    await client.callTool({
      name: 'container_exec',
      arguments: {ref: `${name}/app`, cmd: ['sh', '-c', 'head -c 100000 /dev/zero | tr "\\0" x']},
    }),
  ) as {exitCode: number; stdout: string; truncated: boolean; stdoutBytes: number};
  t.is(exec.exitCode, 0);
  t.true(exec.truncated);
  t.is(exec.stdout.length, 64 * 1024);
  t.is(exec.stdoutBytes, 100_000);

  const logs = structured(
    await client.callTool({name: 'container_logs', arguments: {ref: `${name}/app`}}),
  ) as {lines: unknown[]; truncated: boolean; totalLines: number};
  t.true(Array.isArray(logs.lines));

  const missing = await client.callTool({name: 'pod_inspect', arguments: {ref: `${name}-nope`}});
  t.true(missing.isError);

  const removed = structured(
    await client.callTool({name: 'pod_remove', arguments: {ref: name, force: true}}),
  ) as {changed: boolean};
  t.true(removed.changed);
  const list = structured(await client.callTool({name: 'pod_list', arguments: {}})) as {
    pods: {name: string}[];
  };
  t.false(list.pods.some((pod) => pod.name === name));
});
