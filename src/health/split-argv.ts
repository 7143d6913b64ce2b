/**
Splits a health-check command string into argv with shell-like quoting, without running a shell.

The seed split on single spaces, so `cmd  --flag` passed an empty argument (seed-spec §7 case 47). Here runs of
whitespace separate words and never produce one; an explicit `''` or `""` still gives an empty argument, as in
a shell. Quoting follows POSIX sh: single quotes are literal, double quotes honour `\` only before `"`, `\`,
`$`, `` ` `` and newline, and an unquoted `\` escapes any character. Nothing else is special: no variables, globs,
pipes or `&&` (those need an explicit `sh -c '...'`).
*/
import {validationError} from '../errors.js';

/** The outcome of {@link parseArgv}: the words, or why the string cannot be split. */
export type ArgvParse =
  {readonly ok: true; readonly argv: readonly string[]} | {readonly ok: false; readonly message: string};

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
// Inside double quotes POSIX keeps the backslash literal except before these.
const DOUBLE_QUOTE_ESCAPABLE = new Set(['"', '\\', '$', '`']);

/** Splits `input` into words; never throws. */
export function parseArgv(input: string): ArgvParse {
  const argv: string[] = [];
  let word = '';
  // A quoted empty string is still a word, so "started" is tracked apart from `word`'s length.
  let started = false;
  let quote: '' | "'" | '"' = '';
  let quoteColumn = 0;

  for (let index = 0; index < input.length; index++) {
    const char = input.charAt(index);
    const next = input.charAt(index + 1);
    if (quote === "'") {
      if (char === "'") quote = '';
      else word += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') {
        quote = '';
      } else if (char === '\\' && next === '\n') {
        index++;
      } else if (char === '\\' && DOUBLE_QUOTE_ESCAPABLE.has(next)) {
        word += next;
        index++;
      } else {
        word += char;
      }
      continue;
    }
    if (WHITESPACE.has(char)) {
      if (started) argv.push(word);
      word = '';
      started = false;
    } else if (char === "'" || char === '"') {
      quote = char;
      quoteColumn = index + 1;
      started = true;
    } else if (char === '\\') {
      if (index + 1 >= input.length) return {ok: false, message: 'ends with a lone backslash'};
      index++;
      // Backslash-newline is a line continuation, not a character.
      if (next !== '\n') {
        word += next;
        started = true;
      }
    } else {
      word += char;
      started = true;
    }
  }

  if (quote !== '') {
    const kind = quote === "'" ? 'single' : 'double';
    return {ok: false, message: `unterminated ${kind} quote (opened at column ${quoteColumn})`};
  }
  if (started) argv.push(word);
  return {ok: true, argv};
}

/** Splits `input` into words, throwing a VALIDATION EngineError (at `path`) when it cannot be split. */
export function splitArgv(input: string, path = 'command'): string[] {
  const parsed = parseArgv(input);
  if (!parsed.ok) {
    throw validationError(
      [{path, message: parsed.message, allowed: 'words separated by spaces, with balanced quotes'}],
      'command',
    );
  }
  return [...parsed.argv];
}
