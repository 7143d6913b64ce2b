/**
Keys → commands, by mode and focus (tui-anchors section 4: j/k, g/G, Tab, Enter, `/`, `?`, `:`, space to
mark, Esc back, `q` quit). Pure, so the whole keymap is testable without Ink, and the help overlay and footer
are generated from the same table.
*/
import type {DetailTab, LifecycleOp, Pane} from './view-state.js';
import {DETAIL_TABS} from './view-state.js';

/** The parts of Ink's `Key` the keymap reads. */
export interface KeyInfo {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

export type Command =
  | {readonly type: 'quit'}
  | {readonly type: 'move'; readonly delta: number}
  | {readonly type: 'page'; readonly delta: 1 | -1}
  | {readonly type: 'top'}
  | {readonly type: 'bottom'}
  | {readonly type: 'focus'; readonly delta: 1 | -1}
  | {readonly type: 'enter'}
  | {readonly type: 'back'}
  | {readonly type: 'help'}
  | {readonly type: 'prompt'; readonly kind: 'command' | 'slash' | 'exec'}
  | {readonly type: 'search-next'; readonly delta: 1 | -1}
  | {readonly type: 'mark'}
  | {readonly type: 'lifecycle'; readonly op: LifecycleOp}
  | {readonly type: 'shell'}
  | {readonly type: 'logs'}
  | {readonly type: 'tab'; readonly tab: DetailTab}
  | {readonly type: 'tab-step'; readonly delta: 1 | -1}
  | {readonly type: 'timestamps'}
  | {readonly type: 'follow'}
  | {readonly type: 'scope'}
  | {readonly type: 'demo'}
  | {readonly type: 'refresh'};

/** What the keymap needs to know about the screen. */
export interface KeyContext {
  readonly focus: Pane;
  readonly tab: DetailTab;
}

/** The command for a key in normal mode (no prompt, dialog or overlay open), or null. */
export function resolveKey(input: string, key: KeyInfo, context: KeyContext): Command | null {
  if (key.ctrl) {
    if (input === 'c') return {type: 'quit'};
    if (input === 'r') return {type: 'refresh'};
    return null;
  }
  if (key.tab) return {type: 'focus', delta: key.shift ? -1 : 1};
  if (key.downArrow) return {type: 'move', delta: 1};
  if (key.upArrow) return {type: 'move', delta: -1};
  if (key.pageDown) return {type: 'page', delta: 1};
  if (key.pageUp) return {type: 'page', delta: -1};
  if (key.home) return {type: 'top'};
  if (key.end) return {type: 'bottom'};
  if (key.return) return {type: 'enter'};
  if (key.escape) return {type: 'back'};
  if (context.focus === 'detail' && key.leftArrow) return {type: 'tab-step', delta: -1};
  if (context.focus === 'detail' && key.rightArrow) return {type: 'tab-step', delta: 1};
  const digit = Number(input);
  if (input.length === 1 && digit >= 1 && digit <= DETAIL_TABS.length) {
    return {type: 'tab', tab: DETAIL_TABS[digit - 1] ?? 'logs'};
  }
  switch (input) {
    case 'q':
      return {type: 'quit'};
    case 'j':
      return {type: 'move', delta: 1};
    case 'k':
      return {type: 'move', delta: -1};
    case 'g':
      return {type: 'top'};
    case 'G':
      return {type: 'bottom'};
    case '?':
      return {type: 'help'};
    case ':':
      return {type: 'prompt', kind: 'command'};
    case '/':
      return {type: 'prompt', kind: 'slash'};
    case 'n':
      return {type: 'search-next', delta: 1};
    case 'N':
      return {type: 'search-next', delta: -1};
    case ' ':
      return {type: 'mark'};
    case 's':
      return {type: 'lifecycle', op: 'stop'};
    case 'S':
      return {type: 'lifecycle', op: 'start'};
    case 'r':
      return {type: 'lifecycle', op: 'restart'};
    case 'K':
      return {type: 'lifecycle', op: 'kill'};
    case 'd':
      return {type: 'lifecycle', op: 'remove'};
    case 'e':
      return {type: 'prompt', kind: 'exec'};
    case 'x':
      return {type: 'shell'};
    case 'l':
      return {type: 'logs'};
    case 'i':
      return {type: 'tab', tab: 'inspect'};
    case '[':
      return {type: 'tab-step', delta: -1};
    case ']':
      return {type: 'tab-step', delta: 1};
    case 't':
      return {type: 'timestamps'};
    case 'f':
      return {type: 'follow'};
    case 'm':
      return {type: 'scope'};
    case 'D':
      return {type: 'demo'};
    default:
      return null;
  }
}

/** One line of the key list: the `?` overlay shows them all, the footer those for the current place. */
export interface KeyHelp {
  readonly keys: string;
  readonly description: string;
  /** Where it applies: everywhere, a pane, or the logs tab. */
  readonly where: 'global' | 'lists' | 'logs';
  /** Shown in the footer (short list). */
  readonly footer?: string;
}

export const KEY_HELP: readonly KeyHelp[] = [
  {
    keys: 'j/k ↓/↑',
    description: 'move down / up (scroll in the detail pane)',
    where: 'global',
    footer: 'j/k move',
  },
  {keys: 'g/G Home/End', description: 'first / last row (G in logs: follow again)', where: 'global'},
  {keys: 'PgUp/PgDn', description: 'a page up / down', where: 'global'},
  {keys: 'Tab S-Tab', description: 'next / previous pane', where: 'global', footer: 'tab pane'},
  {keys: 'Enter', description: 'open: pod → containers → detail', where: 'global'},
  {keys: 'Esc', description: 'back to the previous pane; close a prompt or this help', where: 'global'},
  {
    keys: '1-7 [ ] ←/→',
    description: 'detail tab: logs stats health spec inspect events exec',
    where: 'global',
    footer: '1-7 tab',
  },
  {
    keys: 'space',
    description: 'mark / unmark the row (bulk actions apply to marked rows)',
    where: 'lists',
    footer: 'space mark',
  },
  {keys: 's', description: 'stop (asks first)', where: 'lists', footer: 's stop'},
  {keys: 'S', description: 'start', where: 'lists', footer: 'S start'},
  {keys: 'r', description: 'restart (asks first)', where: 'lists', footer: 'r restart'},
  {keys: 'K', description: 'kill (asks first)', where: 'lists', footer: 'K kill'},
  {keys: 'd', description: 'remove (asks first)', where: 'lists', footer: 'd rm'},
  {
    keys: 'e',
    description: 'exec a command in the container; output and exit code in the exec tab',
    where: 'lists',
    footer: 'e exec',
  },
  {
    keys: 'x',
    description: 'interactive shell in the container (exit the shell to come back)',
    where: 'lists',
    footer: 'x shell',
  },
  {
    keys: 'l',
    description: 'logs: of the pod (merged) from the pods pane, of the container from the containers pane',
    where: 'lists',
    footer: 'l logs',
  },
  {keys: 'i', description: 'inspect tab', where: 'lists'},
  {
    keys: '/',
    description: 'filter pods by name (lists); search the logs (logs tab)',
    where: 'global',
    footer: '/ filter',
  },
  {keys: 'n/N', description: 'next / previous match of the log search', where: 'logs', footer: 'n/N match'},
  {keys: 't', description: 'timestamps on / off', where: 'logs', footer: 't time'},
  {keys: 'f', description: 'follow on / off', where: 'logs', footer: 'f follow'},
  {
    keys: 'm',
    description: 'merged logs of the whole pod / the selected container only',
    where: 'logs',
    footer: 'm merge',
  },
  {keys: 'D', description: 'launch the demo pod (examples/demo.yaml)', where: 'global'},
  {keys: 'Ctrl-R', description: 're-read everything from the engine', where: 'global'},
  {
    keys: ':',
    description: 'command: apply FILE, demo, filter TEXT, sort name|status|age|restarts, host URL, q',
    where: 'global',
    footer: ': cmd',
  },
  {keys: '?', description: 'this help', where: 'global', footer: '? help'},
  {keys: 'q Ctrl-C', description: 'quit (the terminal is restored)', where: 'global', footer: 'q quit'},
];

/** The footer's key hints for the current place. */
export function footerKeys(context: KeyContext): readonly string[] {
  const inLogs = context.focus === 'detail' && context.tab === 'logs';
  const order: readonly KeyHelp['where'][] = inLogs ? ['logs', 'global'] : ['lists', 'global'];
  const picked: string[] = [];
  for (const where of order) {
    for (const help of KEY_HELP)
      if (help.where === where && help.footer !== undefined) picked.push(help.footer);
  }
  if (inLogs) return picked.map((hint) => (hint === '/ filter' ? '/ search' : hint));
  return picked;
}
