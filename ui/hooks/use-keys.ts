import {useCallback, useRef} from 'react';
import {useInput, useStdin} from 'ink';
import type {KeyContext} from '../controller/handle-key.js';
import {handleKey} from '../controller/handle-key.js';

/**
The screen's single `useInput`. The handler is stable (it reads the latest context from a ref), so Ink does
not re-subscribe on every render; input is off when stdin cannot be put in raw mode (tui-anchors 6.5).

```tsx
useKeys({view, dispatch, selection, ...});
```
*/
export function useKeys(context: KeyContext): void {
  const {isRawModeSupported} = useStdin();
  const latest = useRef(context);
  latest.current = context;
  const onInput = useCallback((input: string, key: Parameters<typeof handleKey>[1]) => {
    handleKey(input, key, latest.current);
  }, []);
  useInput(onInput, {isActive: isRawModeSupported});
}
