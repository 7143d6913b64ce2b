import {useEffect, useReducer} from 'react';
import type {Dispatch} from 'react';
import type {ViewAction, ViewState} from '../model/view-state.js';
import {reduceView} from '../model/view-state.js';
import type {TuiSession} from '../session.js';

/**
The view reducer, started from (and saved back to) the session, so a remount after an interactive shell comes
back with the same focus, selection, tab and marks.

```tsx
const [view, dispatch] = useViewState(session);
```
*/
export function useViewState(session: TuiSession): [ViewState, Dispatch<ViewAction>] {
  const [view, dispatch] = useReducer(reduceView, session.view);
  useEffect(() => {
    session.view = view;
  }, [session, view]);
  return [view, dispatch];
}
