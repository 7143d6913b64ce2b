import {useEffect} from 'react';
import type {Engine} from '../../src/index.js';
import {toEngineError} from '../../src/index.js';
import type {TuiStore} from '../store/tui-store.js';

/** What the logs tab follows: a pod (merged logs of its apps) or one container. */
export interface LogTarget {
  /** `pod:NAME` or `container:REF`: the store keeps lines of this stream only. */
  readonly key: string;
  readonly ref: string;
}

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
    store.resetLogs(key);
    const controller = new AbortController();
    const timer = setTimeout(() => {
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
