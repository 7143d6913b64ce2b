/**
What the protocol fuzz sends: fast-check arbitraries of templates (a call of a table method with random
params, a notification, a broken envelope, garbage, a batch, invalid UTF-8, a huge string, a broken frame),
rendered to bytes in either framing with ids given in order, each with what the server owes for it: an answer
to its id, or nothing that can be tied to it.

Nothing the fuzz sends may change the engine's state: every ref is made one no pod, container or image can
have (`fz-` prefixed: never a name in use, never a hex id prefix), pod specs always carry an unknown field,
image.pull gets an invalid reference (so nothing is pulled), and shutdown is never sent, nor exit without id.
*/
import fc from 'fast-check';
import {z} from 'zod';
import {allMethods} from '../../../rpc/dispatch.js';
import type {Framing} from './wire.js';

/** Table methods the fuzz calls: all but shutdown (it would end the session it measures). */
export const FUZZ_METHODS: readonly string[] = allMethods()
  .map((method) => method.name)
  .filter((name) => name !== 'shutdown');

const FIELDS: ReadonlyMap<string, readonly string[]> = new Map(
  allMethods().map((method) => [
    method.name,
    method.params instanceof z.ZodObject ? Object.keys(method.params.shape) : [],
  ]),
);

/** One thing to send, before it has an id. */
export type Template =
  | {readonly kind: 'call'; readonly method: string; readonly params: unknown; readonly stringId: boolean}
  | {readonly kind: 'unknown-method'; readonly method: string; readonly stringId: boolean}
  | {readonly kind: 'notification'; readonly method: string; readonly params: unknown}
  | {readonly kind: 'notification-with-id'; readonly method: string}
  | {readonly kind: 'bad-envelope'; readonly message: Record<string, unknown>; readonly answered: boolean}
  | {readonly kind: 'garbage'; readonly bytes: Buffer}
  | {readonly kind: 'non-object'; readonly value: unknown}
  | {readonly kind: 'batch'; readonly calls: readonly {method: string; params: unknown}[]}
  | {readonly kind: 'bad-utf8'; readonly method: string; readonly field: string; readonly at: number}
  | {readonly kind: 'huge'; readonly method: string; readonly field: string; readonly bytes: number}
  | {
      readonly kind: 'broken-frame';
      readonly variant: number;
      readonly method: string;
      readonly params: unknown;
    }
  | {readonly kind: 'cancel'; readonly back: number};

/** One rendered item: its bytes and the id the server must answer (once), if any. */
export interface FuzzItem {
  readonly kind: string;
  readonly bytes: Buffer;
  /** Ids the server owes an answer to, with the method each named. */
  readonly owed: readonly {readonly id: string | number; readonly method: string}[];
}

const json = fc.jsonValue({maxDepth: 2});
const text = fc.string({unit: 'binary', maxLength: 40});
const smallInt = fc.integer({min: -5, max: 200_000});

/** Plausible values for the params the table uses, so calls get past the schema as often as not. */
const PLAUSIBLE: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  ref: fc.oneof(fc.constant('nope'), fc.constant('a/b'), text),
  pod: text,
  refs: fc.array(text, {maxLength: 3}),
  pods: fc.array(text, {maxLength: 3}),
  subscriptionId: fc.oneof(fc.constant('events-1'), fc.constant('logs-999'), text),
  condition: fc.constantFrom('running', 'healthy', 'exited', 'removed', 'status', 'sideways'),
  statuses: fc.array(fc.constantFrom('running', 'failed', 'killed', 'nope'), {maxLength: 3}),
  format: fc.constantFrom('docker', 'bcs', 'xml'),
  signal: fc.oneof(fc.constantFrom('SIGTERM', 'TERM', 'HUP', 'sig-nope'), smallInt),
  graceSeconds: smallInt,
  timeoutMs: fc.oneof(fc.constant(1), fc.constant(50), smallInt),
  tail: smallInt,
  since: fc.oneof(smallInt, fc.constant('2020-01-01T00:00:00Z'), text),
  grep: text,
  maxBytes: smallInt,
  cmd: fc.array(text, {maxLength: 3}),
  env: fc.array(fc.oneof(fc.constant('A=1'), text), {maxLength: 2}),
  dest: fc.oneof(fc.constant('/tmp/x'), text),
  source: fc.oneof(fc.constant('/etc/passwd'), fc.constant('/tmp/../etc/shadow'), text),
  content: text,
  base64: fc.oneof(fc.constant('aGVsbG8='), text),
  mode: fc.oneof(fc.constant('0644'), smallInt, text),
  engine: fc.boolean(),
  force: fc.boolean(),
  privileged: fc.boolean(),
  push: fc.boolean(),
  start: fc.boolean(),
  wait: fc.constantFrom('running', 'healthy', 'never'),
  labels: fc.dictionary(text, fc.oneof(text, smallInt), {maxKeys: 2}),
  status: fc.array(fc.constantFrom('running', 'failed', 'nope'), {maxLength: 2}),
  intervalMs: smallInt,
  psArgs: text,
  image: fc.oneof(fc.constant('fz/img:1'), text),
  container: text,
  cpu: fc.oneof(fc.double({min: -1, max: 64, noNaN: true}), text),
  mem: smallInt,
  reqCpu: fc.double({min: -1, max: 64, noNaN: true}),
  reqMem: smallInt,
  spec: fc.oneof(
    json,
    text,
    fc.record({
      name: fc.oneof(fc.constant('fz-pod'), text),
      containers: fc.array(fc.record({name: text, image: fc.constant('bcs-executor/demo:local')}), {
        maxLength: 2,
      }),
    }),
  ),
  workDoneToken: fc.oneof(text, smallInt, json),
  followRestarts: fc.boolean(),
  maxQueuedLines: smallInt,
  workingDir: text,
  user: text,
  maxOutputBytes: smallInt,
  clientInfo: fc.oneof(fc.record({name: text}), json),
  processId: fc.oneof(smallInt, fc.constant(null)),
};

/** Params for `method`: some of its fields (plausible or random values), sometimes an unknown one. */
function paramsFor(method: string): fc.Arbitrary<unknown> {
  const fields = FIELDS.get(method) ?? [];
  const value = (field: string): fc.Arbitrary<unknown> =>
    fc.oneof({weight: 3, arbitrary: PLAUSIBLE[field] ?? json}, {weight: 1, arbitrary: json});
  const record =
    fields.length === 0
      ? fc.constant({})
      : fc.record(Object.fromEntries(fields.map((field) => [field, value(field)])), {requiredKeys: []});
  return fc.oneof(
    {weight: 12, arbitrary: record},
    {weight: 1, arbitrary: fc.tuple(record, text, json).map(([r, k, v]) => ({...r, [`x${k}`]: v}))},
    {weight: 1, arbitrary: fc.constant(undefined)},
    {weight: 1, arbitrary: fc.array(json, {maxLength: 2})},
  );
}

const methodName = fc.constantFrom(...FUZZ_METHODS);
const call = methodName.chain((method) =>
  fc.record({method: fc.constant(method), params: paramsFor(method)}),
);

const templates: fc.Arbitrary<Template> = fc.oneof(
  {
    weight: 55,
    arbitrary: fc
      .tuple(call, fc.boolean())
      .map(([c, stringId]): Template => ({kind: 'call', ...c, stringId})),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.oneof(text, fc.constant('pod.fly'), fc.constant('rpc.nope')), fc.boolean())
      .filter(([method]) => !FUZZ_METHODS.includes(method) && method !== 'shutdown')
      .map(([method, stringId]): Template => ({kind: 'unknown-method', method, stringId})),
  },
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.oneof(
          methodName,
          fc.constantFrom('initialized', '$/setTrace', 'nobody/listens', 'shutdown'),
          text,
        ),
        json,
      )
      .filter(([method]) => method !== 'exit')
      .map(([method, params]): Template => ({kind: 'notification', method, params})),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('exit', 'initialized', '$/cancelRequest')
      .map((method): Template => ({kind: 'notification-with-id', method})),
  },
  {weight: 8, arbitrary: badEnvelope()},
  {
    weight: 6,
    arbitrary: fc
      .oneof(
        fc.uint8Array({minLength: 1, maxLength: 200}).map((bytes) => Buffer.from(bytes)),
        text.map((s) => Buffer.from(`{"jsonrpc":"2.0",${s}`)),
        fc.constant(Buffer.from('{"jsonrpc": "2.0", "id": 1, "method": oops}')),
      )
      .map((bytes): Template => ({kind: 'garbage', bytes})),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.integer(), fc.string(), fc.constant(null), fc.boolean())
      .map((value): Template => ({kind: 'non-object', value})),
  },
  {
    weight: 4,
    arbitrary: fc.array(call, {maxLength: 3}).map((calls): Template => ({kind: 'batch', calls})),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom('pod.inspect', 'container.logs', 'pod.list', 'image.inspect'), fc.nat(20))
      .map(([method, at]): Template => ({kind: 'bad-utf8', method, field: 'ref', at})),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('pod.inspect', 'pod.create', 'container.exec', 'container.upload', 'system.ping'),
        fc.constantFrom('ref', 'spec', 'content', 'pad'),
        fc.integer({min: 256 * 1024, max: 2 * 1024 * 1024}),
      )
      .map(([method, field, bytes]): Template => ({kind: 'huge', method, field, bytes})),
  },
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.nat(99), call)
      .map(([variant, c]): Template => ({kind: 'broken-frame', variant, ...c})),
  },
  {weight: 2, arbitrary: fc.nat(5).map((back): Template => ({kind: 'cancel', back}))},
);

function badEnvelope(): fc.Arbitrary<Template> {
  const base = {jsonrpc: '2.0', method: 'system.ping'};
  // Answered with their id: the id is readable, something else is wrong.
  const withId = fc.oneof(
    fc.constantFrom('1.0', 2, null, undefined).map((jsonrpc) => ({...base, jsonrpc})),
    fc
      .oneof(fc.integer(), fc.constant(null), json)
      .filter((method) => method !== 'shutdown')
      .map((method) => ({...base, method})),
    fc.oneof(fc.string(), fc.integer(), fc.boolean()).map((params) => ({...base, params})),
    fc.constant({jsonrpc: '2.0'}),
  );
  // Answered with id null: the id itself is unusable.
  const badId = fc
    .oneof(fc.constant(null), fc.boolean(), fc.array(fc.integer(), {maxLength: 2}), fc.constant({}))
    .map((id) => ({...base, id}));
  return fc.oneof(
    withId.map((message): Template => ({kind: 'bad-envelope', message, answered: true})),
    badId.map((message): Template => ({kind: 'bad-envelope', message, answered: false})),
  );
}

/** Params that cannot touch anything real (see the module comment). */
export function safen(method: string, params: unknown): unknown {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return params;
  const out: Record<string, unknown> = {...(params as Record<string, unknown>)};
  for (const key of ['ref', 'pod', 'subscriptionId', 'container']) {
    if (typeof out[key] === 'string') out[key] = `fz-${out[key]}`;
  }
  if (Array.isArray(out['refs'])) {
    out['refs'] = out['refs'].map((ref: unknown) => (typeof ref === 'string' ? `fz-${ref}` : ref));
  }
  // Upper case is not a valid reference: refused before any registry is asked.
  if (method === 'image.pull' && typeof out['ref'] === 'string') out['ref'] = `FZ-${out['ref']}`;
  if (method === 'pod.create' || method === 'pod.apply') {
    const spec = out['spec'];
    if (typeof spec === 'string') out['spec'] = `{${spec}`;
    else if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
      out['spec'] = {...spec, 'fuzz-unknown-field': true};
    }
  }
  return out;
}

function frame(framing: Framing, body: Buffer): Buffer {
  if (framing === 'ndjson') return Buffer.concat([withoutNewlines(body), Buffer.from('\n')]);
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
}

/** NDJSON cannot carry a raw newline inside a message; the fuzz's garbage may hold one. */
function withoutNewlines(body: Buffer): Buffer {
  return body.includes(0x0a) ? Buffer.from(body.filter((byte) => byte !== 0x0a)) : body;
}

function request(id: string | number, method: unknown, params: unknown): Buffer {
  const message: Record<string, unknown> = {jsonrpc: '2.0', id, method};
  if (params !== undefined) message['params'] = params;
  return Buffer.from(JSON.stringify(message));
}

type NewId = ((asString: boolean) => string | number) & {readonly last: () => number};

/** Renders templates to items, giving ids `first`, `first + 1`, ... (as numbers or `f<n>` strings). */
export function render(templates: readonly Template[], framing: Framing, first: number): FuzzItem[] {
  let next = first;
  const newId = Object.assign(
    (asString: boolean): string | number => {
      const n = next++;
      return asString ? `f${n}` : n;
    },
    {last: () => next - 1},
  );
  return templates.map((template) => renderOne(template, framing, newId));
}

function renderOne(template: Template, framing: Framing, newId: NewId): FuzzItem {
  const item = (bytes: Buffer, owed: FuzzItem['owed'] = []): FuzzItem => ({kind: template.kind, bytes, owed});
  switch (template.kind) {
    case 'call': {
      const id = newId(template.stringId);
      const body = request(id, template.method, safen(template.method, template.params));
      return item(frame(framing, body), [{id, method: template.method}]);
    }
    case 'unknown-method': {
      const id = newId(template.stringId);
      return item(frame(framing, request(id, template.method, {})), [{id, method: template.method}]);
    }
    case 'notification': {
      const message = {
        jsonrpc: '2.0',
        method: template.method,
        params: safen(template.method, template.params),
      };
      return item(frame(framing, Buffer.from(JSON.stringify(message))));
    }
    case 'notification-with-id': {
      const id = newId(false);
      return item(frame(framing, request(id, template.method, {})), [{id, method: template.method}]);
    }
    case 'bad-envelope': {
      const id = newId(true);
      const message = template.answered ? {...template.message, id} : template.message;
      return item(
        frame(framing, Buffer.from(JSON.stringify(message))),
        template.answered ? [{id, method: '(bad envelope)'}] : [],
      );
    }
    case 'garbage':
      return item(frame(framing, template.bytes));
    case 'non-object':
      return item(frame(framing, Buffer.from(JSON.stringify(template.value) ?? 'null')));
    case 'batch': {
      // Ids inside a batch are never answered one by one: the batch is refused as a whole (id null).
      const batch = template.calls.map((c) => ({
        jsonrpc: '2.0',
        id: newId(true),
        method: c.method,
        params: safen(c.method, c.params),
      }));
      return item(frame(framing, Buffer.from(JSON.stringify(batch))));
    }
    case 'bad-utf8': {
      const id = newId(false);
      const marker = 'INVALID_UTF8_HERE';
      const params = {[template.field]: `fz-${'x'.repeat(template.at)}${marker}`};
      const text = JSON.stringify({jsonrpc: '2.0', id, method: template.method, params});
      const [before = '', after = ''] = text.split(marker);
      // A lone continuation byte, a truncated two-byte sequence and 0xff: none of them UTF-8.
      const body = Buffer.concat([
        Buffer.from(before),
        Buffer.from([0x80, 0xc3, 0x28, 0xff]),
        Buffer.from(after),
      ]);
      return item(frame(framing, body), [{id, method: template.method}]);
    }
    case 'huge': {
      const id = newId(true);
      const params = safen(template.method, {[template.field]: 'h'.repeat(template.bytes)});
      return item(frame(framing, request(id, template.method, params)), [{id, method: template.method}]);
    }
    case 'broken-frame':
      return brokenFrame(template, framing, newId);
    case 'cancel': {
      // Cancels a recent id (maybe one still running, maybe answered already): never answered itself.
      const message = {jsonrpc: '2.0', method: '$/cancelRequest', params: {id: newId.last() - template.back}};
      return item(frame(framing, Buffer.from(JSON.stringify(message))));
    }
  }
}

const BAD_HEADERS = [
  'Content-Length: twelve',
  'Content-Length: -5',
  'Content-Length: 1234567890123456',
  'Content-Type: application/json',
  'Content-Length 12',
  'no colon here',
  'Content-Length: 5\r\nX Bad: header',
];

function brokenFrame(
  template: Extract<Template, {kind: 'broken-frame'}>,
  framing: Framing,
  newId: NewId,
): FuzzItem {
  const kind = template.kind;
  const id = newId(false);
  const body = request(id, template.method, safen(template.method, template.params));
  if (framing === 'ndjson') {
    if (template.variant % 3 === 0) return {kind, bytes: Buffer.from('\n \t\n\n'), owed: []};
    // A line cut short: never a whole JSON object, so a parse error with id null.
    const cut = Math.max(1, Math.floor((body.length * (template.variant % 97)) / 100));
    return {
      kind,
      bytes: Buffer.concat([withoutNewlines(body.subarray(0, cut)), Buffer.from('\n')]),
      owed: [],
    };
  }
  const variant = template.variant % 3;
  if (variant === 0) {
    const header = BAD_HEADERS[template.variant % BAD_HEADERS.length] ?? 'x';
    return {kind, bytes: Buffer.from(`${header}\r\n\r\n`, 'latin1'), owed: []};
  }
  if (variant === 1) {
    // Content-Length too short: the cut body is a parse error, the rest is skipped up to the next header.
    const short = Math.max(1, body.length - 1 - (template.variant % Math.max(1, body.length - 1)));
    return {
      kind,
      bytes: Buffer.concat([Buffer.from(`Content-Length: ${short}\r\n\r\n`, 'latin1'), body]),
      owed: [],
    };
  }
  // Content-Length too long, running into a ping that follows: the server answers both, the first with
  // CONTENT_LENGTH_MISMATCH. The excess reaches past the ping's header but not past its end, so the whole
  // declared length is there at once.
  const pingId = newId(true);
  const ping = frame('headers', request(pingId, 'system.ping', {}));
  const pingHeader = ping.indexOf('\r\n\r\n') + 4;
  const excess = pingHeader + (template.variant % (ping.length - pingHeader));
  return {
    kind,
    bytes: Buffer.concat([
      Buffer.from(`Content-Length: ${body.length + excess}\r\n\r\n`, 'latin1'),
      body,
      ping,
    ]),
    owed: [
      {id, method: template.method},
      {id: pingId, method: 'system.ping'},
    ],
  };
}

/** `count` templates from `seed` (the same seed gives the same run). */
export function sampleTemplates(count: number, seed: number): Template[] {
  return fc.sample(templates, {numRuns: count, seed});
}
