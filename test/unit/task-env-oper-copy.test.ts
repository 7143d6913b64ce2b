import test from 'ava';
import fc from 'fast-check';
import {dedupeEnv, envOperCopy} from '../../src/task/env-oper-copy.js';
import type {BcsKV} from '../../src/task/types.js';

/** `A=1, B=$A` → [{key: 'A', value: '1'}, {key: 'B', value: '$A'}]. */
function env(...pairs: string[]): BcsKV[] {
  return pairs.map((pair) => {
    const eq = pair.indexOf('=');
    return {key: pair.slice(0, eq), value: pair.slice(eq + 1)};
  });
}

function copied(...pairs: string[]): string[] {
  const task = {env: env(...pairs)};
  envOperCopy(task);
  return task.env.map((entry) => `${entry.key}=${entry.value}`);
}

// Seed-spec §3 worked examples, one row each, then §7 cases 1-6.
const rows: readonly (readonly [string, readonly string[], readonly string[]])[] = [
  ['plain substitution', ['A=1', 'B=$A'], ['A=1', 'B=1']],
  ['order does not matter for the lookup', ['B=$A', 'A=1'], ['B=1', 'A=1']],
  ['an undefined key stays literal (case 1)', ['B=$X'], ['B=$X']],
  ['a self reference keeps $A (case 2)', ['A=$A'], ['A=$A']],
  ['no chaining: A gets B original value (case 3)', ['A=$B', 'B=$C', 'C=x'], ['A=$C', 'B=x', 'C=x']],
  ['the last duplicate wins in the snapshot (case 4)', ['A=1', 'A=2', 'B=$A'], ['A=1', 'A=2', 'B=2']],
  ['a defined empty value substitutes "" (case 6)', ['E=', 'B=$E'], ['E=', 'B=']],
  ['$ not first: x$A unchanged (case 5)', ['A=1', 'B=x$A'], ['A=1', 'B=x$A']],
  ['no brace syntax: ${A} unchanged (case 5)', ['A=1', 'B=${A}'], ['A=1', 'B=${A}']],
  ['the whole rest is the key: $A/bin unchanged (case 5)', ['A=1', 'B=$A/bin'], ['A=1', 'B=$A/bin']],
  ['$$A looks up the key $A', ['A=1', 'B=$$A'], ['A=1', 'B=$$A']],
  ['$$A with a key $A present substitutes it', ['$A=dollar', 'B=$$A'], ['$A=dollar', 'B=dollar']],
  ['a lone $ is unchanged without an empty key', ['A=1', 'B=$'], ['A=1', 'B=$']],
  ['a lone $ takes the value of an empty key', ['=empty', 'B=$'], ['=empty', 'B=empty']],
];

for (const [title, input, output] of rows) {
  test(`envOperCopy: ${title}`, (t) => {
    t.deepEqual(copied(...input), [...output]);
  });
}

test('envOperCopy mutates the entries in place and tolerates a task without env', (t) => {
  const entry = {key: 'B', value: '$A'};
  const task = {env: [{key: 'A', value: '1'}, entry]};
  envOperCopy(task);
  t.is(entry.value, '1');
  t.notThrows(() => envOperCopy({}));
});

test('envOperCopy run twice chains one more level, as the seed would', (t) => {
  const task = {env: env('A=$B', 'B=$C', 'C=x')};
  envOperCopy(task);
  envOperCopy(task);
  t.deepEqual(
    task.env.map((entry) => entry.value),
    ['x', 'x', 'x'],
  );
});

test('dedupeEnv keeps the last occurrence of each key at its own position', (t) => {
  t.deepEqual(dedupeEnv(env('A=1', 'B=2', 'A=3', 'C=4')), env('B=2', 'A=3', 'C=4'));
  t.deepEqual(dedupeEnv(env('A=1', 'B=2')), env('A=1', 'B=2'));
  t.deepEqual(dedupeEnv([]), []);
});

test('dedupeEnv: keys are unique, each with its last value, in order of last occurrence', (t) => {
  const kv = fc.record({key: fc.constantFrom('A', 'B', 'C', ''), value: fc.string({maxLength: 3})});
  fc.assert(
    fc.property(fc.array(kv, {maxLength: 12}), (input: BcsKV[]) => {
      const output = dedupeEnv(input);
      const keys = output.map((entry) => entry.key);
      t.is(new Set(keys).size, keys.length);
      for (const entry of output) {
        t.is<BcsKV | undefined, BcsKV | undefined>(
          entry,
          input.findLast((candidate) => candidate.key === entry.key),
        );
      }
      const lastIndexes = output.map((entry) => input.lastIndexOf(entry));
      t.deepEqual(
        lastIndexes,
        [...lastIndexes].sort((a, b) => a - b),
      );
      t.is(output.length, new Set(input.map((entry) => entry.key)).size);
    }),
  );
});
