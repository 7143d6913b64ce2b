import {useCallback, useRef, useState} from 'react';
import type {Dispatch, RefObject} from 'react';
import type {ViewAction, ViewState} from '../model/view-state.js';
import {reduceView} from '../model/view-state.js';
import type {TuiSession} from '../session.js';

/**
The view reducer, started from (and saved back to) the session, so a remount after an interactive shell comes
back with the same focus, selection, tab and marks. The ref holds the state after the last dispatch, before
React renders it: keys typed faster than frames (a paste, `s` then `y`) each see the state the previous key
made.

```tsx
const [view, dispatch, viewRef] = useViewState(session);
```
*/
export function useViewState(session: TuiSession): [ViewState, Dispatch<ViewAction>, RefObject<ViewState>] {
  const [view, setView] = useState(session.view);
  const ref = useRef(session.view);
  const dispatch = useCallback(
    (action: ViewAction) => {
      const next = reduceView(ref.current, action);
      if (next === ref.current) return;
      ref.current = next;
      session.view = next;
      setView(next);
    },
    [session],
  );
  return [view, dispatch, ref];
}
