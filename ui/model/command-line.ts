/** The `:` command line: parsing only; running is in actions/run-command-line.ts. */
import type {SortKey} from './view-state.js';
import {SORT_KEYS} from './view-state.js';

export type CommandLine =
  | {readonly kind: 'apply'; readonly file: string}
  | {readonly kind: 'demo'}
  | {readonly kind: 'filter'; readonly text: string}
  | {readonly kind: 'sort'; readonly key: SortKey}
  | {readonly kind: 'host'; readonly url: string}
  | {readonly kind: 'help'}
  | {readonly kind: 'quit'}
  | {readonly kind: 'error'; readonly message: string};

/** Every command with its usage, for the help overlay and error messages. */
export const COMMAND_USAGE: readonly string[] = [
  'apply FILE',
  'demo',
  'filter [TEXT]',
  `sort ${SORT_KEYS.join('|')}`,
  'host URL',
  'help',
  'q',
];

/** Parses what was typed after `:`. */
export function parseCommandLine(line: string): CommandLine {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const name = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const rest = space === -1 ? '' : trimmed.slice(space + 1).trim();
  switch (name) {
    case 'apply':
      return rest === '' ? {kind: 'error', message: 'usage: apply FILE'} : {kind: 'apply', file: rest};
    case 'demo':
      return {kind: 'demo'};
    case 'filter':
      return {kind: 'filter', text: rest};
    case 'sort': {
      const key = SORT_KEYS.find((k) => k === rest.toLowerCase());
      return key === undefined
        ? {kind: 'error', message: `usage: sort ${SORT_KEYS.join('|')}`}
        : {kind: 'sort', key};
    }
    case 'host':
      return rest === ''
        ? {kind: 'error', message: 'usage: host URL (unix:///path.sock, tcp://host:port)'}
        : {kind: 'host', url: rest};
    case 'help':
    case 'h':
    case '?':
      return {kind: 'help'};
    case 'q':
    case 'quit':
    case 'exit':
      return {kind: 'quit'};
    case '':
      return {kind: 'error', message: `commands: ${COMMAND_USAGE.join(', ')}`};
    default:
      return {kind: 'error', message: `unknown command "${name}"; commands: ${COMMAND_USAGE.join(', ')}`};
  }
}
