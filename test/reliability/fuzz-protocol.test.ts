/**
A property-based fuzz of the rpc face: 10,000 fast-check generated messages and frames (5,000 per framing)
sent to the real binary over real pipes: calls of every table method with random params, unknown methods,
notifications, notifications sent with ids, broken envelopes, garbage and invalid UTF-8, batches, huge
strings, broken headers and truncated frames. The server never dies, every request with a readable id is
answered exactly once, every error code is one docs/protocol.md lists (and one the method declares), none is
-32603, and the server's RSS stays within 20 MB of its level after a warm-up (3,000 items of another seed
and one message over the 16 MiB limit), with the live heap after a full GC flat.

The seed is printed; BCS_FUZZ_SEED=<seed> replays a run. Nothing the fuzz sends can change Docker's state
(support/fuzz-items.ts says how), so it needs no --read-only.
*/
import {readFileSync} from 'node:fs';
import test, {type ExecutionContext} from 'ava';
import {RPC_ERROR} from '../../rpc/error-codes.js';
import {allMethods} from '../../rpc/dispatch.js';
import {render, sampleTemplates, type FuzzItem} from './support/fuzz-items.js';
import {memoryAfterGc, mib, rssKiB, sampleRss, spawnKept} from './support/server.js';
import {idKey, WirePeer, type Framing, type Reply} from './support/wire.js';

const PER_FRAMING = 5000;
/** Items of another seed sent first, so V8's heap has grown to its working size before RSS is held to the limit. */
const WARM_UP = 3000;
/** Items after the forced GC that measures the live heap, before the RSS level is taken. */
const REWARM = 1000;
const BATCH = 50;
const RSS_LIMIT_KIB = 20 * 1024;
/** What the live heap (after a full GC) may gain over the run: a leak of a few hundred bytes per message shows. */
const LIVE_HEAP_LIMIT_MIB = 5;

const SEED =
  process.env['BCS_FUZZ_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['BCS_FUZZ_SEED']);

/** The codes docs/protocol.md lists in its Errors table. */
function documentedCodes(): ReadonlySet<number> {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Errors'), doc.indexOf('## Methods'));
  return new Set([...section.matchAll(/^\| (-?\d+) \| \w+ \|/gm)].map((match) => Number(match[1])));
}

/** Errors any request may get (framing, envelope, lifecycle, params, cancellation). */
const PROTOCOL_CODES: ReadonlySet<number> = new Set([
  RPC_ERROR.ParseError,
  RPC_ERROR.InvalidRequest,
  RPC_ERROR.MethodNotFound,
  RPC_ERROR.InvalidParams,
  RPC_ERROR.ServerNotInitialized,
  RPC_ERROR.RequestCancelled,
]);

/** The codes each table method declares it may answer. */
const DECLARED: ReadonlyMap<string, ReadonlySet<number>> = new Map(
  allMethods().map((method) => [method.name, new Set(method.errors.map((name) => RPC_ERROR[name]))]),
);

interface Findings {
  /** Keys of every id owed an answer, warm-up included. */
  readonly owed: string[];
  readonly missing: string[];
  readonly duplicated: string[];
  readonly undocumented: string[];
  readonly undeclared: string[];
  readonly internal: string[];
}

function describeItem(item: FuzzItem): string {
  const text = item.bytes.subarray(0, 300).toString('latin1');
  return `${item.kind}: ${JSON.stringify(text)}${item.bytes.length > 300 ? ` (${item.bytes.length} bytes)` : ''}`;
}

/** Checks the answers the items of one batch were owed. */
function check(
  peer: WirePeer,
  items: readonly FuzzItem[],
  documented: ReadonlySet<number>,
  findings: Findings,
) {
  for (const item of items) {
    for (const {id, method} of item.owed) {
      findings.owed.push(idKey(id));
      const replies = peer.repliesTo(id);
      if (replies.length === 0) findings.missing.push(`${String(id)} (${describeItem(item)})`);
      if (replies.length > 1) findings.duplicated.push(`${String(id)} answered ${replies.length} times`);
      const code = replies[0]?.error?.code;
      if (code === undefined) continue;
      const where = `${method} id ${String(id)}: ${code} ${replies[0]?.error?.message ?? ''}`;
      if (code === RPC_ERROR.InternalError) findings.internal.push(`${where} (${describeItem(item)})`);
      if (!documented.has(code)) findings.undocumented.push(where);
      const declared = DECLARED.get(method);
      if (declared !== undefined && !PROTOCOL_CODES.has(code) && !declared.has(code)) {
        findings.undeclared.push(where);
      }
    }
  }
}

/** Ends the subscriptions that fuzzed events.subscribe calls really opened, and waits for the answers. */
async function unsubscribeOpened(
  peer: WirePeer,
  items: readonly FuzzItem[],
  framing: Framing,
  next: () => string,
) {
  const ids: string[] = [];
  for (const item of items) {
    for (const {id} of item.owed) {
      const result = peer.repliesTo(id)[0]?.result;
      if (typeof result !== 'object' || result === null || !('subscriptionId' in result)) continue;
      const subscriptionId = String(result.subscriptionId);
      const kind = subscriptionId.split('-')[0] ?? 'events';
      const requestId = next();
      ids.push(requestId);
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: requestId,
        method: `${kind}.unsubscribe`,
        params: {subscriptionId},
      });
      await peer.write(frameOf(framing, body));
    }
  }
  await peer.until(() => ids.every((id) => peer.repliesTo(id).length > 0), 30_000);
}

function frameOf(framing: Framing, json: string): Buffer {
  return Buffer.from(
    framing === 'ndjson' ? `${json}\n` : `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}

async function fuzz(t: ExecutionContext, framing: Framing, seed: number): Promise<void> {
  const documented = documentedCodes();
  t.true(documented.size >= 20, 'docs/protocol.md lists the error codes');
  // The probe with --expose-gc lets the test see the live heap after a full GC (memoryAfterGc).
  const server = spawnKept({serverArgs: ['--log-level', 'error'], probe: true, nodeArgs: ['--expose-gc']});
  t.teardown(() => server.child.kill('SIGKILL'));
  const peer = new WirePeer(server, framing);
  let harness = 0;
  const harnessId = (): string => `h${++harness}`;
  const ask = async (method: string, params: unknown = {}): Promise<Reply> => {
    const id = harnessId();
    await peer.write(frameOf(framing, JSON.stringify({jsonrpc: '2.0', id, method, params})));
    if (!(await peer.until(() => peer.repliesTo(id).length > 0, 30_000)))
      throw new Error(`no answer to ${method}`);
    return peer.repliesTo(id)[0]!;
  };
  t.truthy((await ask('initialize', {clientInfo: {name: 'fuzz'}})).result);

  // Warm-up: items of another seed (ids far from the measured ones), then one message over the 16 MiB limit
  // (the biggest buffers the server ever holds); then the level the measured items are held to.
  const warmUp = render(sampleTemplates(WARM_UP, seed + 7919), framing, 1_000_000);
  const items = render(sampleTemplates(PER_FRAMING, seed), framing, 1000);
  const findings: Findings = {
    owed: [],
    missing: [],
    duplicated: [],
    undocumented: [],
    undeclared: [],
    internal: [],
  };
  const kinds = new Map<string, number>();
  for (const item of items) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);

  /** Sends items in batches, each batch's owed answers awaited (bounded) and checked. */
  const run = async (list: readonly FuzzItem[]): Promise<void> => {
    for (let at = 0; at < list.length && server.child.exitCode === null; at += BATCH) {
      const batch = list.slice(at, at + BATCH);
      for (const item of batch) await peer.write(item.bytes);
      const owed = batch.flatMap((item) => item.owed.map((entry) => entry.id));
      const answered = await peer.until(() => owed.every((id) => peer.repliesTo(id).length > 0), 60_000);
      check(peer, batch, documented, findings);
      // A batch still unanswered after a minute will not be answered: stop rather than wait out every batch.
      if (!answered) break;
      await unsubscribeOpened(peer, batch, framing, harnessId);
    }
  };
  await run(warmUp);
  const huge = `{"jsonrpc":"2.0","id":"big","method":"system.ping","params":{"p":"${'x'.repeat(17 * 1024 * 1024)}"}}`;
  await peer.write(frameOf(framing, huge));
  await peer.until(
    () => peer.nullReplies.some((reply) => reply.error?.data?.code === 'MESSAGE_TOO_LARGE'),
    60_000,
  );
  t.is((await ask('system.ping')).error, undefined, 'still serving after the oversized message');
  const liveBefore = await memoryAfterGc(server);
  // The forced GC shrank the heap: grow it back to its working size before taking the level RSS is held to.
  await run(render(sampleTemplates(REWARM, seed + 104_729), framing, 2_000_000));
  const baseline = rssKiB(server.pid);
  const sampler = sampleRss(server.pid, 100);
  const started = performance.now();
  await run(items);
  const seconds = (performance.now() - started) / 1000;
  const trace = sampler.stop();
  const liveAfter = await memoryAfterGc(server);
  t.is(server.child.exitCode, null, 'the server is alive after every item');

  // A frame left incomplete: answered once the quiet period (1 s) shows nothing more comes.
  const before = peer.nullReplies.length;
  await peer.write(
    Buffer.from(
      framing === 'ndjson'
        ? '{"jsonrpc":"2.0","id":"cut","meth'
        : 'Content-Length: 90\r\n\r\n{"jsonrpc":"2.0","id":"cut"',
    ),
  );
  t.true(
    await peer.until(() => peer.nullReplies.length > before || peer.repliesTo('cut').length > 0, 10_000),
    'an incomplete frame is answered after the quiet period',
  );
  t.is((await ask('system.ping')).error, undefined, 'still serving at the end');

  // Every answer belongs to something that was owed one (no answer to a notification, a batch member...).
  const owedKeys = new Set(findings.owed);
  const stray = [...peer.answeredKeys()].filter(
    (key) => !owedKeys.has(key) && !/^s:(h\d+|big|cut)$/.test(key),
  );

  const growth = trace.peakKiB - baseline;
  const liveGrowth = (liveAfter['heapUsed'] ?? 0) - (liveBefore['heapUsed'] ?? 0);
  t.log(
    `seed ${seed} (BCS_FUZZ_SEED=${seed} replays it), ${framing} framing, ${items.length} items in ${seconds.toFixed(1)} s`,
  );
  t.log(`kinds: ${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  t.log(`${peer.nullReplies.length} answers with id null; ${peer.notifications.length} notifications`);
  t.log(
    `server RSS after warm-up ${mib(baseline)}, peak ${mib(trace.peakKiB)} (+${mib(growth)}), last ` +
      `${mib(trace.lastKiB)}; after a full GC: ${JSON.stringify(liveBefore)} before, ${JSON.stringify(liveAfter)} after`,
  );
  const show = (list: readonly string[]): string[] => list.slice(0, 10);
  /** `method code` once each, with how many times and the first message. */
  const grouped = (list: readonly string[]): string[] => {
    const groups = new Map<string, {count: number; first: string}>();
    for (const entry of list) {
      const key = /^(\S+) id \S+: (-?\d+)/.exec(entry)?.slice(1).join(' ') ?? entry;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, {count: 1, first: entry});
      else group.count++;
    }
    return [...groups].map(([key, {count, first}]) => `${key} x${count}, e.g. ${first.slice(0, 300)}`);
  };
  t.deepEqual(show(peer.problems), [], `seed ${seed}: output that is not a framed JSON message`);
  t.deepEqual(
    show(findings.missing),
    [],
    `seed ${seed}: requests never answered (${findings.missing.length})`,
  );
  t.deepEqual(show(findings.duplicated), [], `seed ${seed}: requests answered twice`);
  t.deepEqual(show(findings.internal), [], `seed ${seed}: internal errors (-32603)`);
  t.deepEqual(grouped(findings.undocumented), [], `seed ${seed}: codes docs/protocol.md does not list`);
  t.deepEqual(grouped(findings.undeclared), [], `seed ${seed}: codes the method does not declare`);
  t.deepEqual(show(stray), [], `seed ${seed}: answers to ids that were owed none`);
  t.true(peer.nullReplies.length > 0, 'broken input was answered with id null');
  t.true(growth <= RSS_LIMIT_KIB, `seed ${seed}: the server's RSS grew ${mib(growth)} after the warm-up`);
  t.true(liveGrowth <= LIVE_HEAP_LIMIT_MIB, `seed ${seed}: the live heap grew ${liveGrowth.toFixed(1)} MiB`);

  t.is((await ask('shutdown')).result, null);
  await peer.write(frameOf(framing, JSON.stringify({jsonrpc: '2.0', method: 'exit'})));
  t.is(await server.exited, 0, 'the server exits 0 after shutdown and exit');
}

test.serial(`fuzz, NDJSON framing (seed ${SEED})`, (t) => fuzz(t, 'ndjson', SEED));
test.serial(`fuzz, Content-Length framing (seed ${SEED + 1})`, (t) => fuzz(t, 'headers', SEED + 1));
