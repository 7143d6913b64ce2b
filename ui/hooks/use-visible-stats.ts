import {useEffect} from 'react';
import type {Engine} from '../../src/index.js';
import type {TuiStore} from '../store/tui-store.js';

/**
Follows stats for the given containers only (the running rows on screen), in one `followStats` call. When the
set changes (scrolling, another pod, a container stopping) the old stream is aborted and, after a short
settle delay so fast scrolling does not churn streams, a new one starts.

```tsx
useVisibleStats(engine, store, ['3f2a…', '9c1b…']);
```
*/
export function useVisibleStats(
  engine: Engine,
  store: TuiStore,
  refs: readonly string[],
  options: {readonly intervalMs?: number; readonly settleMs?: number} = {},
): void {
  const key = [...refs].sort().join(',');
  const intervalMs = options.intervalMs ?? 2000;
  const settleMs = options.settleMs ?? 400;
  useEffect(() => {
    if (key === '') return;
    const ids = key.split(',');
    const controller = new AbortController();
    const timer = setTimeout(() => {
      void (async () => {
        try {
          for await (const sample of engine.followStats(ids, {signal: controller.signal, intervalMs})) {
            store.pushStats(sample);
          }
        } catch {
          // A container that stops ends its samples; the row shows its status instead, and the set
          // changes (and the stream restarts) when it runs again.
        }
      })();
    }, settleMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [engine, store, key, intervalMs, settleMs]);
}
