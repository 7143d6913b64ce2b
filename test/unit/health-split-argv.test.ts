import {deepStrictEqual, ok} from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import {isEngineError} from '../../src/errors.js';
import {parseArgv, splitArgv} from '../../src/health/split-argv.js';

const splits = test.macro((t, input: string, expected: readonly string[]) => {
  t.deepEqual(splitArgv(input), expected);
});

test('seed case 47: two spaces no longer give an empty argument', splits, 'cmd  --flag', ['cmd', '--flag']);
test('leading, trailing and mixed whitespace collapse', splits, ' \t a \n b\r\n', ['a', 'b']);
test('an empty or blank string gives no words', splits, '   ', []);
test('single quotes are literal', splits, `echo 'a  b' '\\n' '$HOME'`, ['echo', 'a  b', '\\n', '$HOME']);
test('double quotes keep spaces and honour \\" and \\\\', splits, `say "a \\"b\\" c\\\\"`, [
  'say',
  'a "b" c\\',
]);
test('a backslash before other characters stays literal in double quotes', splits, `x "a\\nb"`, [
  'x',
  'a\\nb',
]);
test('an unquoted backslash escapes any character', splits, `a\\ b c\\'d \\"`, ['a b', "c'd", '"']);
test('quotes join with adjacent text into one word', splits, `--name="my app"x'y'`, ['--name=my appxy']);
test('an explicit empty quoted argument is kept', splits, `cmd '' ""`, ['cmd', '', '']);
test('backslash-newline is a line continuation', splits, 'a \\\nb "c\\\nd"', ['a', 'b', 'cd']);
test('shell syntax is not interpreted (no shell runs)', splits, 'cat /x | grep y && true', [
  'cat',
  '/x',
  '|',
  'grep',
  'y',
  '&&',
  'true',
]);

test('an unterminated quote is a validation error naming where it opened', (t) => {
  t.deepEqual(parseArgv(`echo "abc`), {ok: false, message: 'unterminated double quote (opened at column 6)'});
  t.deepEqual(parseArgv(`echo 'abc`), {ok: false, message: 'unterminated single quote (opened at column 6)'});
  const error = t.throws(() => splitArgv(`sh -c 'x`, 'containers[0].healthCheck.command'));
  t.true(isEngineError(error));
  if (isEngineError(error)) {
    t.is(error.code, 'VALIDATION');
    t.deepEqual(error.details['issues'], [
      {
        path: 'containers[0].healthCheck.command',
        message: 'unterminated single quote (opened at column 7)',
        allowed: 'words separated by spaces, with balanced quotes',
      },
    ]);
  }
});

test('a trailing lone backslash is refused', (t) => {
  t.deepEqual(parseArgv('echo \\'), {ok: false, message: 'ends with a lone backslash'});
});

// Quoting every word in single quotes (with the usual '\'' trick) must round-trip any argv.
function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

test('property: quoted argv round-trips, and plain words never yield empty arguments', (t) => {
  // node:assert throws inside the property, so fast-check can shrink a counterexample.
  t.notThrows(() => {
    fc.assert(
      fc.property(fc.array(fc.string()), (argv) => {
        deepStrictEqual(splitArgv(argv.map(quote).join(' ')), argv);
      }),
    );
  });
  t.notThrows(() => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9=.-]+$/)),
        fc.integer({min: 1, max: 4}),
        (words, gap) => {
          const parsed = splitArgv(words.join(' '.repeat(gap)));
          deepStrictEqual(parsed, words);
          ok(!parsed.includes(''));
        },
      ),
    );
  });
});
