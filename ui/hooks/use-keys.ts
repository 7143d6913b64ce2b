import {useCallback, useRef} from 'react';
import type {RefObject} from 'react';
import {useInput, useStdin} from 'ink';
import type {KeyContext} from '../controller/handle-key.js';
import {handleKey} from '../controller/handle-key.js';
import type {KeyInfo} from '../model/keymap.js';
import {select} from '../model/select.js';
import type {ViewState} from '../model/view-state.js';

/** The key context minus what is read per key from the freshest view and store snapshot. */
export type KeyBase = Omit<KeyContext, 'view' | 'selection' | 'logLines'>;

/**
The screen's single `useInput`. The handler is stable (it reads the latest context from a ref), so Ink does
not re-subscribe on every render; the view and the selection come from the view ref at each key, so a key
typed before the previous one's frame still acts on the right state. Input is off when stdin cannot be put
in raw mode (tui-anchors 6.5).

```tsx
useKeys(viewRef, {store, dispatch, layout, ...});
```
*/
export function useKeys(viewRef: RefObject<ViewState>, base: KeyBase): void {
  const {isRawModeSupported} = useStdin();
  const latest = useRef(base);
  latest.current = base;
  const onInput = useCallback(
    (input: string, key: KeyInfo) => {
      const one = (text: string, info: KeyInfo): void => {
        const view = viewRef.current;
        const snapshot = latest.current.store.getSnapshot();
        handleKey(text, info, {
          ...latest.current,
          view,
          selection: select(snapshot.pods, view),
          logLines: snapshot.logs.lines,
        });
      };
      // Typing faster than stdin is read (or a paste) delivers several characters as one input: take them
      // one by one, so `text⏎` submits a prompt and `jjj` moves three rows.
      if (input.length > 1 && !key.ctrl && !key.meta) {
        for (const char of Array.from(input)) one(char, char === '\r' || char === '\n' ? {return: true} : {});
        return;
      }
      one(input, key);
    },
    [viewRef],
  );
  useInput(onInput, {isActive: isRawModeSupported});
}
