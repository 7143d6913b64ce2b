/**
The one key handler of the screen (one `useInput`, aesthetics-anchors 3.8): modes first (help, yes/no,
prompt), then the keymap. A plain function of the key and a context, so tests drive it without Ink.
*/
import type {Dispatch} from 'react';
import type {LogLine} from '../../src/index.js';
import {isDestructive} from '../actions/lifecycle.js';
import {logWindowStart} from '../components/LogView.js';
import type {Actions} from '../hooks/use-actions.js';
import type {KeyInfo} from '../model/keymap.js';
import {resolveKey} from '../model/keymap.js';
import type {Layout} from '../model/layout.js';
import {matchingLines, nextMatch} from '../model/log-lines.js';
import {editPrompt} from '../model/prompt-edit.js';
import type {Selection} from '../model/select.js';
import {containerKey, moveCursor} from '../model/select.js';
import type {ViewAction, ViewState} from '../model/view-state.js';
import {cycle, DETAIL_TABS, PANES} from '../model/view-state.js';
import type {TuiSession} from '../session.js';
import type {TuiStore} from '../store/tui-store.js';
import {submitPrompt} from './submit-prompt.js';
import {containerTarget, lifecycleIntent} from './targets.js';

/** Everything a key may read or touch. */
export interface KeyContext {
  readonly view: ViewState;
  readonly dispatch: Dispatch<ViewAction>;
  readonly selection: Selection;
  readonly layout: Layout;
  readonly logLines: readonly LogLine[];
  /** Lines of the current text tab (spec, inspect, health, events, exec), for scroll bounds. */
  readonly detailLength: number;
  readonly actions: Actions;
  readonly session: TuiSession;
  readonly store: TuiStore;
}

/** Handles one key press. */
export function handleKey(input: string, key: KeyInfo, ctx: KeyContext): void {
  const {view, dispatch, store} = ctx;
  if (view.help !== null) {
    if (key.ctrl && input === 'c') ctx.session.quit();
    else if (input === 'j' || key.downArrow) dispatch({type: 'help', scroll: view.help + 1});
    else if (input === 'k' || key.upArrow) dispatch({type: 'help', scroll: view.help - 1});
    else if (key.escape || input === '?' || input === 'q' || key.return)
      dispatch({type: 'help', scroll: null});
    return;
  }
  if (view.confirm !== null) {
    dispatch({type: 'confirm', intent: null});
    if (input === 'y' || input === 'Y') ctx.actions.lifecycle(view.confirm);
    else store.setMessage({text: `${view.confirm.op} cancelled`, level: 'info'});
    return;
  }
  if (view.prompt !== null) {
    const edit = editPrompt(view.prompt.text, input, key);
    if (edit.type === 'text') {
      dispatch({type: 'prompt', prompt: {kind: view.prompt.kind, text: edit.text}});
      // Filter and search follow the typing, so the effect shows before Enter.
      if (view.prompt.kind === 'filter') dispatch({type: 'filter', text: edit.text});
      if (view.prompt.kind === 'search') dispatch({type: 'search', text: edit.text});
    } else if (edit.type === 'cancel') {
      dispatch({type: 'prompt', prompt: null});
      if (view.prompt.kind === 'filter') dispatch({type: 'filter', text: ''});
      if (view.prompt.kind === 'search') dispatch({type: 'search', text: ''});
    } else {
      dispatch({type: 'prompt', prompt: null});
      submitPrompt(view.prompt.kind, edit.text, ctx);
    }
    return;
  }
  const command = resolveKey(input, key, {focus: view.focus, tab: view.tab});
  if (command === null) return;
  switch (command.type) {
    case 'quit':
      ctx.session.quit();
      return;
    case 'move':
      move(command.delta, ctx);
      return;
    case 'page':
      move(command.delta * pageSize(ctx), ctx);
      return;
    case 'top':
      move(-Number.MAX_SAFE_INTEGER / 2, ctx);
      return;
    case 'bottom':
      if (view.focus === 'detail' && view.tab === 'logs')
        dispatch({type: 'log-scroll', scroll: 0, follow: true});
      else move(Number.MAX_SAFE_INTEGER / 2, ctx);
      return;
    case 'focus':
      dispatch({type: 'focus', pane: cycle(PANES, view.focus, command.delta)});
      return;
    case 'enter':
      if (view.focus === 'pods') dispatch({type: 'focus', pane: 'containers'});
      else if (view.focus === 'containers') dispatch({type: 'focus', pane: 'detail'});
      return;
    case 'back':
      if (view.focus === 'detail') dispatch({type: 'focus', pane: 'containers'});
      else if (view.focus === 'containers') dispatch({type: 'focus', pane: 'pods'});
      else if (view.marks.pods.length + view.marks.containers.length > 0) dispatch({type: 'clear-marks'});
      else if (view.filter !== '') dispatch({type: 'filter', text: ''});
      else store.setMessage(null);
      return;
    case 'help':
      dispatch({type: 'help', scroll: 0});
      return;
    case 'prompt':
      openPrompt(command.kind, ctx);
      return;
    case 'search-next':
      searchNext(command.delta, ctx);
      return;
    case 'mark':
      mark(ctx);
      return;
    case 'lifecycle': {
      const intent = lifecycleIntent(command.op, view, ctx.selection);
      if (intent === null)
        store.setMessage({text: `nothing to ${command.op}: no row selected`, level: 'warn'});
      else if (isDestructive(command.op)) dispatch({type: 'confirm', intent});
      else ctx.actions.lifecycle(intent);
      return;
    }
    case 'shell': {
      const container = runningContainer(ctx);
      if (container !== undefined) ctx.session.requestShell(containerTarget(container));
      return;
    }
    case 'logs':
      dispatch({
        type: 'logs',
        scope: view.focus === 'pods' ? 'pod' : view.focus === 'containers' ? 'container' : view.logScope,
      });
      return;
    case 'tab':
      dispatch({type: 'tab', tab: command.tab});
      return;
    case 'tab-step':
      dispatch({type: 'tab', tab: cycle(DETAIL_TABS, view.tab, command.delta)});
      return;
    case 'timestamps':
      dispatch({type: 'toggle-timestamps'});
      return;
    case 'follow':
      dispatch({type: 'log-scroll', scroll: logStart(ctx), follow: !view.follow});
      return;
    case 'scope':
      dispatch({type: 'toggle-scope'});
      return;
    case 'demo':
      ctx.actions.demo();
      return;
    case 'refresh':
      ctx.actions.refresh();
      return;
  }
}

/** The container the exec and shell keys use: the selected one, when it runs. */
function runningContainer(ctx: KeyContext) {
  const container = ctx.selection.container;
  if (container === undefined) {
    ctx.store.setMessage({text: 'no container selected', level: 'warn'});
    return undefined;
  }
  if (container.status !== 'running') {
    ctx.store.setMessage({
      text: `${container.pod}/${container.name} is ${container.status}, not running`,
      level: 'warn',
    });
    return undefined;
  }
  return container;
}

function openPrompt(kind: 'command' | 'slash' | 'exec', ctx: KeyContext): void {
  const {view, dispatch} = ctx;
  if (kind === 'command') dispatch({type: 'prompt', prompt: {kind: 'command', text: ''}});
  else if (kind === 'exec') {
    if (runningContainer(ctx) !== undefined) dispatch({type: 'prompt', prompt: {kind: 'exec', text: ''}});
  } else if (view.focus === 'detail' && view.tab === 'logs') {
    dispatch({type: 'prompt', prompt: {kind: 'search', text: view.search}});
  } else {
    dispatch({type: 'prompt', prompt: {kind: 'filter', text: view.filter}});
  }
}

function logBody(ctx: KeyContext): number {
  return Math.max(1, ctx.layout.detail - 1);
}

function logStart(ctx: KeyContext): number {
  return logWindowStart(ctx.logLines.length, logBody(ctx), ctx.view.follow, ctx.view.logScroll);
}

function pageSize(ctx: KeyContext): number {
  const {view, layout} = ctx;
  const pane =
    view.focus === 'pods' ? layout.pods : view.focus === 'containers' ? layout.containers : layout.detail;
  return Math.max(1, pane - 2);
}

function move(delta: number, ctx: KeyContext): void {
  const {view, dispatch, selection, layout} = ctx;
  if (view.focus === 'pods') {
    const next = moveCursor(
      selection.podIndex,
      delta,
      selection.pods.length,
      view.podOffset,
      layout.pods - 1,
    );
    dispatch({type: 'select-pod', name: selection.pods[next.index]?.name ?? null, offset: next.offset});
  } else if (view.focus === 'containers') {
    const next = moveCursor(
      selection.containerIndex,
      delta,
      selection.containers.length,
      view.containerOffset,
      layout.containers - 1,
    );
    dispatch({
      type: 'select-container',
      name: selection.containers[next.index]?.name ?? null,
      offset: next.offset,
    });
  } else if (view.tab === 'logs') {
    const last = Math.max(0, ctx.logLines.length - logBody(ctx));
    const scroll = Math.min(last, Math.max(0, logStart(ctx) + delta));
    // Scrolling down onto the last page follows again, like `less +F`.
    dispatch({type: 'log-scroll', scroll, follow: delta > 0 && scroll >= last});
  } else {
    // events and exec count from the newest line: down (towards newer) lowers the offset.
    const fromBottom = view.tab === 'events' || view.tab === 'exec';
    const max = Math.max(0, ctx.detailLength - 1);
    const scroll = Math.min(max, Math.max(0, view.detailScroll + (fromBottom ? -delta : delta)));
    dispatch({type: 'detail-scroll', scroll});
  }
}

function mark(ctx: KeyContext): void {
  const {view, dispatch, selection} = ctx;
  if (view.focus === 'pods' && selection.pod !== undefined) {
    dispatch({type: 'toggle-mark', pane: 'pods', key: selection.pod.name});
    move(1, ctx);
  } else if (view.focus === 'containers' && selection.container !== undefined) {
    dispatch({type: 'toggle-mark', pane: 'containers', key: containerKey(selection.container)});
    move(1, ctx);
  }
}

function searchNext(delta: 1 | -1, ctx: KeyContext): void {
  const {view, dispatch, store} = ctx;
  if (view.search === '') {
    store.setMessage({text: 'no search: press / in the logs tab', level: 'warn'});
    return;
  }
  const matches = matchingLines(ctx.logLines, view.search);
  const from = view.follow ? ctx.logLines.length : logStart(ctx) + (delta === 1 ? 0 : 1);
  const target = nextMatch(matches, from, delta);
  if (target === null) {
    store.setMessage({text: `no line matches "${view.search}"`, level: 'warn'});
    return;
  }
  store.setMessage({
    text: `match ${matches.indexOf(target) + 1}/${matches.length} for "${view.search}"`,
    level: 'info',
  });
  dispatch({type: 'tab', tab: 'logs'});
  dispatch({type: 'log-scroll', scroll: target, follow: false});
}
