import {useEffect} from 'react';
import type {Engine} from '../../src/index.js';
import {toEngineError} from '../../src/index.js';
import type {LogTarget} from '../model/log-target.js';
import type {TuiStore} from '../store/tui-store.js';

export type {LogTarget} from '../model/log-target.js';

/**
Follows the logs of `target` into the store (tail first, then new lines, across restarts) until the target
changes or the component unmounts; null follows nothing. A stream starts only once the selection has rested
for `settleMs`: walking the cursor down a list must not open (and make the engine resolve) a stream per row.

```tsx
useLogFollow(engine, store, {key: 'pod:web', ref: 'web'});
```
*/
export function useLogFollow(
  engine: Engine,
  store: TuiStore,
  target: LogTarget | null,
  options: {readonly tail?: number; readonly settleMs?: number} = {},
): void {
  const key = target?.key ?? null;
  const ref = target?.ref ?? null;
  const tail = options.tail ?? 500;
  const settleMs = options.settleMs ?? 350;
  useEffect(() => {
    if (key === null || ref === null) return;
    const controller = new AbortController();
    // The store switches streams only when the new one starts: the screen shows no stale lines meanwhile
    // (it keys them), and a walk down the list publishes nothing.
    const timer = setTimeout(() => {
      store.resetLogs(key);
      void (async () => {
        try {
          for await (const line of engine.followLogs(ref, {
            signal: controller.signal,
            tail,
            followRestarts: true,
          })) {
            store.appendLog(key, line);
          }
          store.endLogs(key, null);
        } catch (error) {
          if (!controller.signal.aborted) store.endLogs(key, toEngineError(error).message);
        }
      })();
    }, settleMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [engine, store, key, ref, tail, settleMs]);
}
