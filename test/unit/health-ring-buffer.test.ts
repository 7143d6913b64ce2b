import {deepStrictEqual, equal} from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import {RingBuffer} from '../../src/health/ring-buffer.js';

test('property: a ring buffer holds the last `capacity` pushes, oldest first', (t) => {
  // node:assert throws inside the property, so fast-check can shrink a counterexample.
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 25}), fc.array(fc.integer()), (capacity, items) => {
        const ring = new RingBuffer<number>(capacity);
        for (const item of items) ring.push(item);
        deepStrictEqual(ring.toArray(), items.slice(-capacity));
        equal(ring.size, Math.min(capacity, items.length));
      }),
    );
  });
});

test('a capacity below 1 or not an integer is refused', (t) => {
  t.throws(() => new RingBuffer(0), {instanceOf: RangeError});
  t.throws(() => new RingBuffer(2.5), {instanceOf: RangeError});
});
