import {useSyncExternalStore} from 'react';
import type {TuiSnapshot, TuiStore} from '../store/tui-store.js';

/**
The store's current snapshot; re-renders at most once per publish (the store batches events, samples and log
lines into one publish every ~100 ms).

```tsx
const snapshot = useTuiSnapshot(store);
```
*/
export function useTuiSnapshot(store: TuiStore): TuiSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
