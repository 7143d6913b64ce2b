/**
`$/progress` at most every `intervalMs` per token: a pull reports many lines a millisecond, and a client only
needs the latest. `begin` and `end` always go out, an `end` after any report still pending.
*/
import type {WorkDoneProgress} from '../methods/define.js';

type Send = (token: string | number, value: WorkDoneProgress) => void;

export function throttleProgress(send: Send, intervalMs = 100): Send {
  const last = new Map<string | number, number>();
  const pending = new Map<string | number, {value: WorkDoneProgress; timer: NodeJS.Timeout}>();
  const flush = (token: string | number): void => {
    const waiting = pending.get(token);
    if (waiting === undefined) return;
    clearTimeout(waiting.timer);
    pending.delete(token);
    last.set(token, Date.now());
    send(token, waiting.value);
  };
  return (token, value) => {
    if (value.kind !== 'report') {
      flush(token);
      if (value.kind === 'end') last.delete(token);
      send(token, value);
      return;
    }
    const waiting = pending.get(token);
    if (waiting !== undefined) {
      waiting.value = value;
      return;
    }
    const wait = (last.get(token) ?? 0) + intervalMs - Date.now();
    if (wait <= 0) {
      last.set(token, Date.now());
      send(token, value);
      return;
    }
    pending.set(token, {value, timer: setTimeout(() => flush(token), wait)});
  };
}
