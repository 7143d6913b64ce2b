/** What Enter does in each prompt. */
import {parseCommandLine} from '../model/command-line.js';
import type {Prompt} from '../model/view-state.js';
import type {KeyContext} from './handle-key.js';
import {containerTarget} from './targets.js';

/** Runs a submitted prompt. */
export function submitPrompt(kind: Prompt['kind'], text: string, ctx: KeyContext): void {
  const {dispatch, store} = ctx;
  switch (kind) {
    case 'filter':
      dispatch({type: 'filter', text: text.trim()});
      return;
    case 'search':
      dispatch({type: 'search', text});
      if (text !== '') {
        store.setMessage({text: `search "${text}": n next, N previous`, level: 'info'});
      }
      return;
    case 'exec': {
      const container = ctx.selection.container;
      if (text.trim() === '' || container === undefined) return;
      ctx.actions.exec(containerTarget(container), text.trim());
      dispatch({type: 'focus', pane: 'detail'});
      return;
    }
    case 'command':
      runCommandLine(text, ctx);
      return;
  }
}

function runCommandLine(text: string, ctx: KeyContext): void {
  const {dispatch, store} = ctx;
  const command = parseCommandLine(text);
  switch (command.kind) {
    case 'apply':
      ctx.actions.applyFile(command.file);
      return;
    case 'demo':
      ctx.actions.demo();
      return;
    case 'filter':
      dispatch({type: 'filter', text: command.text});
      dispatch({type: 'focus', pane: 'pods'});
      return;
    case 'sort':
      dispatch({type: 'sort', key: command.key});
      store.setMessage({text: `pods sorted by ${command.key}`, level: 'info'});
      return;
    case 'host':
      ctx.session.switchHost(command.url);
      return;
    case 'help':
      dispatch({type: 'help', scroll: 0});
      return;
    case 'quit':
      ctx.session.quit();
      return;
    case 'error':
      store.setMessage({text: command.message, level: 'error'});
      return;
  }
}
