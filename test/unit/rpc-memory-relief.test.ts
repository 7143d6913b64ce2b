/**
The rpc server's relief collections: 1 ms after a big message, again after the next big one no sooner than
20 ms (or twice what the last collection took) later; after every 24 MiB of other traffic 20 ms later, no
sooner than 100 ms (or 40 times what the last one took) after the last.
*/
import test from 'ava';
import {
  createRelief,
  RELIEF_MESSAGE_BYTES,
  RELIEF_MESSAGE_COST_FACTOR,
  RELIEF_MESSAGE_MIN_INTERVAL_MS,
  RELIEF_TRAFFIC_BYTES,
  RELIEF_TRAFFIC_COST_FACTOR,
  RELIEF_TRAFFIC_MIN_INTERVAL_MS,
} from '../../rpc/framing/memory-relief.js';

/** A relief over a hand-driven clock: `advance` runs the timers that fall due; `collections` their times. */
function rig(gcMs: number) {
  let clock = 1000;
  const timers: {at: number; run: () => void}[] = [];
  const collections: number[] = [];
  const relief = createRelief({
    collect: () => {
      collections.push(clock);
      clock += gcMs;
    },
    now: () => clock,
    setTimer: (run, ms) => timers.push({at: clock + ms, run}),
  });
  const advance = (ms: number): void => {
    const until = clock + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (next === undefined || next.at > until) break;
      timers.shift();
      clock = Math.max(clock, next.at);
      next.run();
    }
    clock = Math.max(clock, until);
  };
  /** `bytes` of small messages (64 KiB each), none big enough to count as a big message. */
  const traffic = (bytes: number): void => {
    for (let sent = 0; sent < bytes; sent += 64 * 1024) relief.note(64 * 1024);
  };
  return {relief, advance, traffic, collections, pending: () => timers.length};
}

test('a big message is relieved 1 ms later; the next one after the spacing its cost sets', (t) => {
  const {relief, advance, collections} = rig(5);
  relief.note(RELIEF_MESSAGE_BYTES);
  advance(1);
  t.deepEqual(collections, [1001]);
  relief.note(RELIEF_MESSAGE_BYTES);
  advance(500);
  t.deepEqual(collections, [1001, 1006 + RELIEF_MESSAGE_MIN_INTERVAL_MS]);
  const slow = rig(30);
  slow.relief.note(RELIEF_MESSAGE_BYTES);
  slow.advance(1);
  slow.relief.note(RELIEF_MESSAGE_BYTES);
  slow.advance(500);
  t.deepEqual(slow.collections, [1001, 1031 + 30 * RELIEF_MESSAGE_COST_FACTOR]);
});

test('small messages never ask for a collection until 24 MiB went through', (t) => {
  const {advance, traffic, collections, pending} = rig(5);
  traffic(RELIEF_TRAFFIC_BYTES - 64 * 1024);
  advance(1000);
  t.deepEqual(collections, []);
  traffic(1);
  t.is(pending(), 1);
  advance(1000);
  t.is(collections.length, 1);
});

test('steady traffic waits 40 times the last collection; a big message does not', (t) => {
  const gcMs = 12;
  const {relief, advance, traffic, collections} = rig(gcMs);
  traffic(RELIEF_TRAFFIC_BYTES);
  advance(20);
  t.is(collections.length, 1);
  const end = (collections[0] ?? 0) + gcMs;
  const spacing = Math.max(RELIEF_TRAFFIC_MIN_INTERVAL_MS, gcMs * RELIEF_TRAFFIC_COST_FACTOR);
  // 24 MiB again 200 ms later: too soon for traffic, and no collection is left pending for it.
  advance(200);
  traffic(RELIEF_TRAFFIC_BYTES);
  advance(spacing);
  t.is(collections.length, 1);
  // Later than the spacing: the next traffic asks, and is relieved.
  traffic(1);
  advance(20);
  t.is(collections.length, 2);
  t.true((collections[1] ?? 0) >= end + spacing);
  // A big message right after: its own spacing only.
  relief.note(RELIEF_MESSAGE_BYTES);
  advance(Math.max(RELIEF_MESSAGE_MIN_INTERVAL_MS, gcMs * RELIEF_MESSAGE_COST_FACTOR) + gcMs);
  t.is(collections.length, 3);
});
