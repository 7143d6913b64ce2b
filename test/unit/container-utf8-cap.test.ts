import test from 'ava';
import fc from 'fast-check';
import {CappedOutput, capUtf8, utf8CutLength} from '../../src/container/utf8-cap.js';

test('a text within the cap is kept whole and not truncated', (t) => {
  t.deepEqual(capUtf8(Buffer.from('héllo'), 6), {text: 'héllo', truncated: false});
  t.deepEqual(capUtf8(Buffer.from(''), 0), {text: '', truncated: false});
});

test('a cut inside a 2-, 3- or 4-byte character backs off to its start (seed case 29)', (t) => {
  // 'aé' is 61 c3 a9: a cut at 2 would split é.
  t.deepEqual(capUtf8(Buffer.from('aé'), 2), {text: 'a', truncated: true});
  // '€' is e2 82 ac.
  t.deepEqual(capUtf8(Buffer.from('x€y'), 2), {text: 'x', truncated: true});
  t.deepEqual(capUtf8(Buffer.from('x€y'), 3), {text: 'x', truncated: true});
  t.deepEqual(capUtf8(Buffer.from('x€y'), 4), {text: 'x€', truncated: true});
  // '😀' is f0 9f 98 80.
  for (const cap of [1, 2, 3, 4])
    t.deepEqual(capUtf8(Buffer.from('😀z'), cap), {text: cap === 4 ? '😀' : '', truncated: true});
});

test('bytes that are not UTF-8 are cut at the cap, not scanned backwards forever', (t) => {
  const junk = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80]);
  t.is(utf8CutLength(junk, 5), 5);
});

test('property: the capped text is the longest whole-character prefix within the cap', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.string({unit: 'grapheme', maxLength: 40}), fc.nat(200), (text, cap) => {
        const bytes = Buffer.from(text);
        const result = capUtf8(bytes, cap);
        const kept = Buffer.byteLength(result.text);
        if (kept > cap) return false;
        if (!text.startsWith(result.text)) return false;
        if (result.truncated !== kept < bytes.length) return false;
        // The next character would not have fitted.
        const next = String.fromCodePoint(text.codePointAt(result.text.length) ?? 0);
        return result.text.length === text.length || kept + Buffer.byteLength(next) > cap;
      }),
    ),
  );
});

test('CappedOutput keeps the first bytes across chunks split inside characters and drains the rest', (t) => {
  const text = 'αβγδε'.repeat(100); // 2 bytes each
  const bytes = Buffer.from(text);
  const output = new CappedOutput(7);
  for (let at = 0; at < bytes.length; at += 3) output.push(bytes.subarray(at, at + 3));
  t.deepEqual(output.result(), {text: 'αβγ', truncated: true});
  t.is(output.seenBytes, bytes.length);
});

test('CappedOutput with room for everything is not truncated', (t) => {
  const output = new CappedOutput(16 * 1024 * 1024);
  output.push(Buffer.from('hello '));
  output.push(Buffer.from('wörld'));
  t.deepEqual(output.result(), {text: 'hello wörld', truncated: false});
});

test('CappedOutput with a cap of zero keeps nothing and says so only when there was output', (t) => {
  const empty = new CappedOutput(0);
  t.deepEqual(empty.result(), {text: '', truncated: false});
  const some = new CappedOutput(0);
  some.push(Buffer.from('x'));
  t.deepEqual(some.result(), {text: '', truncated: true});
});
