/** Contract: events, logs and stats. */
import test from 'ava';
import type {LogChunk, RuntimeEvent} from '../../src/runtime/port.js';
import {CASE_LABEL, deadline, newCase, spec, startSleeper, type MakeSubject} from './contract-helpers.js';

/** Reads log chunks into one string per stream. */
async function readLogs(chunks: AsyncIterable<LogChunk>): Promise<{stdout: string; stderr: string}> {
  let stdout = '';
  let stderr = '';
  for await (const chunk of chunks) {
    if (chunk.stream === 'stdout') stdout += chunk.data.toString('utf8');
    else stderr += chunk.data.toString('utf8');
  }
  return {stdout, stderr};
}

export function streamsContract(name: string, subject: MakeSubject): void {
  test(`${name}: events for create, start, die (with exitCode) and destroy, filtered by label`, async (t) => {
    const s = await subject();
    const c = newCase();
    const since = Math.floor(Date.now() / 1000) - 1;
    const {id} = await s.runtime.createContainer(spec(s.imageRef, c.labels, ['sh', '-c', 'exit 3']));
    await s.runtime.startContainer(id);
    await s.runtime.waitContainer(id, 'not-running', {signal: deadline()});
    await s.runtime.removeContainer(id);

    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 20_000);
    const seen: RuntimeEvent[] = [];
    for await (const event of s.runtime.events({
      signal: controller.signal,
      types: ['container'],
      // A bare key means "has this label" (the engine filters on its managed label so).
      labels: [c.filter, CASE_LABEL],
      since,
    })) {
      seen.push(event);
      if (event.action === 'destroy') controller.abort();
    }
    clearTimeout(timeout);

    const actions = seen
      .map((event) => event.action)
      .filter((action) => ['create', 'start', 'die', 'destroy'].includes(action));
    t.deepEqual(actions, ['create', 'start', 'die', 'destroy']);
    for (const event of seen) {
      t.is(event.type, 'container');
      t.is(event.id, id);
      t.like(event.attributes, c.labels);
      t.is(typeof event.timeNano, 'bigint');
      t.true(event.timeNano > BigInt(since) * 1_000_000_000n);
    }
    const die = seen.find((event) => event.action === 'die');
    t.is(die?.attributes['exitCode'], '3');
    t.truthy(die?.attributes['name']);
    const times = seen.map((event) => event.timeNano);
    t.deepEqual(
      [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      times,
      'events arrive in time order',
    );
  });

  test(`${name}: the event stream sees live events, filters by action, and ends quietly on abort`, async (t) => {
    const s = await subject();
    const c = newCase();
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 20_000);
    const seen: RuntimeEvent[] = [];
    const kills = new Map<string, RuntimeEvent>();
    let pair: {readonly kill: RuntimeEvent; readonly die: RuntimeEvent} | undefined;
    const reading = (async () => {
      for await (const event of s.runtime.events({
        signal: controller.signal,
        types: ['container'],
        labels: [c.filter],
        actions: ['kill', 'die'],
      })) {
        seen.push(event);
        if (event.action === 'kill') kills.set(event.id, event);
        const kill = kills.get(event.id);
        if (event.action === 'die' && kill !== undefined) {
          pair = {kill, die: event};
          controller.abort();
        }
      }
    })();
    // The subscription is asynchronous: keep killing fresh sleepers until the stream has seen a kill and its die.
    const started: string[] = [];
    while (!controller.signal.aborted) {
      const id = await startSleeper(s, c.labels);
      started.push(id);
      await s.runtime.killContainer(id, 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await reading;
    clearTimeout(timeout);
    t.truthy(pair, 'saw a kill and then the die of the same container');
    t.true(
      seen.every((event) => event.action === 'kill' || event.action === 'die'),
      'the action filter holds',
    );
    if ((await s.runtime.version()).flavor === 'podman') {
      // Podman's kill event carries no signal attribute, and nothing but the daemon could know it.
      t.is(pair?.kill.attributes['signal'], undefined);
    } else {
      t.is(pair?.kill.attributes['signal'], '15');
    }
    t.is(pair?.die.attributes['exitCode'], '143');
    t.true(started.includes(pair?.die.id ?? ''));
  });

  test(`${name}: logs of a container that writes to both streams, demultiplexed`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(
      spec(s.imageRef, c.labels, ['sh', '-c', 'echo out1; echo err1 >&2; echo out2']),
    );
    await s.runtime.startContainer(id);
    await s.runtime.waitContainer(id, 'not-running', {signal: deadline()});
    t.deepEqual(await readLogs(s.runtime.logs(id, {signal: deadline()})), {
      stdout: 'out1\nout2\n',
      stderr: 'err1\n',
    });
    t.deepEqual(await readLogs(s.runtime.logs(id, {stderr: false, signal: deadline()})), {
      stdout: 'out1\nout2\n',
      stderr: '',
    });
  });

  test(`${name}: logs tail counts the last lines`, async (t) => {
    const s = await subject();
    const c = newCase();
    // One stream only: Docker tails across both streams before filtering, and the order in which it
    // records two pipes' lines is not fixed.
    const {id} = await s.runtime.createContainer(
      spec(s.imageRef, c.labels, ['sh', '-c', 'echo a; echo b; echo c']),
    );
    await s.runtime.startContainer(id);
    await s.runtime.waitContainer(id, 'not-running', {signal: deadline()});
    t.deepEqual(await readLogs(s.runtime.logs(id, {tail: 2, signal: deadline()})), {
      stdout: 'b\nc\n',
      stderr: '',
    });
    t.deepEqual(await readLogs(s.runtime.logs(id, {tail: 0, signal: deadline()})), {stdout: '', stderr: ''});
    t.deepEqual(await readLogs(s.runtime.logs(id, {tail: 'all', signal: deadline()})), {
      stdout: 'a\nb\nc\n',
      stderr: '',
    });
  });

  test(`${name}: logs of a TTY container come back raw on stdout`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(
      spec(s.imageRef, c.labels, ['sh', '-c', 'echo tty-line'], {tty: true}),
    );
    await s.runtime.startContainer(id);
    await s.runtime.waitContainer(id, 'not-running', {signal: deadline()});
    const logs = await readLogs(s.runtime.logs(id, {signal: deadline()}));
    t.is(logs.stdout.replace(/\r\n/g, '\n'), 'tty-line\n');
    t.is(logs.stderr, '');
  });

  test(`${name}: followed logs deliver later output and end when the container stops`, async (t) => {
    const s = await subject();
    const c = newCase();
    const {id} = await s.runtime.createContainer(
      spec(s.imageRef, c.labels, ['sh', '-c', 'echo first; sleep 1; echo second >&2']),
    );
    await s.runtime.startContainer(id);
    const logs = await readLogs(s.runtime.logs(id, {follow: true, signal: deadline()}));
    t.deepEqual(logs, {stdout: 'first\n', stderr: 'second\n'});
    t.is((await s.runtime.inspectContainer(id)).state.status, 'exited');
  });

  test(`${name}: followed logs of a running container end quietly when the signal fires`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const logs = await readLogs(s.runtime.logs(id, {follow: true, signal: controller.signal}));
    t.deepEqual(logs, {stdout: '', stderr: ''});
  });

  test(`${name}: stats of a running container, one sample and a stream`, async (t) => {
    const s = await subject();
    const c = newCase();
    const id = await startSleeper(s, c.labels, {host: {memory: 64 * 1024 * 1024}});
    const sample = await s.runtime.stats(id, {signal: deadline()});
    t.true(sample.memoryUsage > 0);
    t.is(sample.memoryLimit, 64 * 1024 * 1024);
    t.true(sample.cpuTotalUsage >= sample.precpuTotalUsage);
    t.true(sample.pids >= 1);
    t.notThrows(() => new Date(sample.read).toISOString());

    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), 20_000);
    let count = 0;
    for await (const streamed of s.runtime.statsStream(id, {signal: controller.signal})) {
      t.is(streamed.memoryLimit, 64 * 1024 * 1024);
      count++;
      if (count === 2) controller.abort();
    }
    clearTimeout(timeout);
    t.is(count, 2);
  });
}
