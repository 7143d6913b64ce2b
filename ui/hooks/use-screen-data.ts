import {useCallback, useRef, useSyncExternalStore} from 'react';
import type {ScreenData} from '../model/screen-data.js';
import {sameScreen, screenData} from '../model/screen-data.js';
import type {ViewState} from '../model/view-state.js';
import type {TuiStore} from '../store/tui-store.js';
import type {TerminalSize} from './use-terminal-size.js';

/**
The frame's data from the store, re-rendering only when what the frame shows changed (a selector over
useSyncExternalStore that returns the previous object while the selection is the same).

```tsx
const screen = useScreenData(store, view, size);
```
*/
export function useScreenData(store: TuiStore, view: ViewState, size: TerminalSize): ScreenData {
  const cache = useRef<{
    readonly snapshot: unknown;
    readonly view: ViewState;
    readonly rows: number;
    readonly columns: number;
    readonly value: ScreenData;
  } | null>(null);
  const get = useCallback((): ScreenData => {
    const snapshot = store.getSnapshot();
    const last = cache.current;
    if (
      last !== null &&
      last.snapshot === snapshot &&
      last.view === view &&
      last.rows === size.rows &&
      last.columns === size.columns
    ) {
      return last.value;
    }
    const next = screenData(snapshot, view, size.rows, size.columns);
    const value = last !== null && sameScreen(last.value, next) ? last.value : next;
    cache.current = {snapshot, view, rows: size.rows, columns: size.columns, value};
    return value;
  }, [store, view, size.rows, size.columns]);
  return useSyncExternalStore(store.subscribe, get);
}
