/**
What the user is looking at: focus, selections, tabs, modes. Pure data and a pure reducer; the key handler
computes cursor moves (it knows the lists) and dispatches the results. Kept apart from the data store so it
survives a remount (the interactive shell unmounts Ink) through `SessionState`.
*/

export type Pane = 'pods' | 'containers' | 'detail';
export const PANES: readonly Pane[] = ['pods', 'containers', 'detail'];

export const DETAIL_TABS = ['logs', 'stats', 'health', 'spec', 'inspect', 'events', 'exec'] as const;
export type DetailTab = (typeof DETAIL_TABS)[number];

export const SORT_KEYS = ['name', 'status', 'age', 'restarts'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** A one-line text input at the bottom: `:` command, `/` search or filter, `e` exec. */
export interface Prompt {
  readonly kind: 'command' | 'search' | 'filter' | 'exec';
  readonly text: string;
}

export type LifecycleOp = 'start' | 'stop' | 'restart' | 'kill' | 'remove';

/** One thing an action applies to: a pod name or a container ref, and how to name it to the user. */
export interface Target {
  readonly ref: string;
  readonly label: string;
}

/** An engine action waiting for the user's yes. */
export interface Intent {
  readonly op: LifecycleOp;
  readonly scope: 'pod' | 'container';
  readonly targets: readonly Target[];
}

export interface ViewState {
  readonly focus: Pane;
  /** Selected pod by name (stable while the list changes under it). */
  readonly pod: string | null;
  readonly podOffset: number;
  /** Selected container of the selected pod, by its spec name (`infra` for the infra container). */
  readonly container: string | null;
  readonly containerOffset: number;
  readonly tab: DetailTab;
  /** Logs of the whole pod (merged) or of the selected container. */
  readonly logScope: 'pod' | 'container';
  /** Stick to the newest log line. */
  readonly follow: boolean;
  /** First line shown when not following. */
  readonly logScroll: number;
  /** First line shown in the other tabs. */
  readonly detailScroll: number;
  readonly timestamps: boolean;
  readonly search: string;
  readonly filter: string;
  readonly sort: SortKey;
  /** Marked pods (names) and containers (`pod/name`). */
  readonly marks: {readonly pods: readonly string[]; readonly containers: readonly string[]};
  readonly prompt: Prompt | null;
  readonly confirm: Intent | null;
  /** The help overlay's scroll position while it is open, else null. */
  readonly help: number | null;
}

export const INITIAL_VIEW: ViewState = {
  focus: 'pods',
  pod: null,
  podOffset: 0,
  container: null,
  containerOffset: 0,
  tab: 'logs',
  logScope: 'container',
  follow: true,
  logScroll: 0,
  detailScroll: 0,
  timestamps: false,
  search: '',
  filter: '',
  sort: 'name',
  marks: {pods: [], containers: []},
  prompt: null,
  confirm: null,
  help: null,
};

export type ViewAction =
  | {readonly type: 'focus'; readonly pane: Pane}
  | {readonly type: 'select-pod'; readonly name: string | null; readonly offset: number}
  | {readonly type: 'select-container'; readonly name: string | null; readonly offset: number}
  | {readonly type: 'tab'; readonly tab: DetailTab}
  | {readonly type: 'logs'; readonly scope: 'pod' | 'container'}
  | {readonly type: 'log-scroll'; readonly scroll: number; readonly follow: boolean}
  | {readonly type: 'detail-scroll'; readonly scroll: number}
  | {readonly type: 'toggle-timestamps'}
  | {readonly type: 'toggle-scope'}
  | {readonly type: 'prompt'; readonly prompt: Prompt | null}
  | {readonly type: 'search'; readonly text: string}
  | {readonly type: 'filter'; readonly text: string}
  | {readonly type: 'sort'; readonly key: SortKey}
  | {readonly type: 'toggle-mark'; readonly pane: 'pods' | 'containers'; readonly key: string}
  | {readonly type: 'clear-marks'}
  | {readonly type: 'confirm'; readonly intent: Intent | null}
  | {readonly type: 'help'; readonly scroll: number | null};

/** The view reducer. */
export function reduceView(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'focus':
      return state.focus === action.pane ? state : {...state, focus: action.pane};
    case 'select-pod':
      if (state.pod === action.name && state.podOffset === action.offset) return state;
      // Another pod: its containers start at the top, its logs and detail from the start.
      return state.pod === action.name
        ? {...state, podOffset: action.offset}
        : {
            ...state,
            pod: action.name,
            podOffset: action.offset,
            container: null,
            containerOffset: 0,
            detailScroll: 0,
            follow: true,
          };
    case 'select-container':
      if (state.container === action.name && state.containerOffset === action.offset) return state;
      return state.container === action.name
        ? {...state, containerOffset: action.offset}
        : {...state, container: action.name, containerOffset: action.offset, detailScroll: 0, follow: true};
    case 'tab':
      return {...state, tab: action.tab, detailScroll: 0};
    case 'logs':
      return {...state, tab: 'logs', logScope: action.scope, follow: true, focus: 'detail'};
    case 'log-scroll':
      return {...state, logScroll: Math.max(0, action.scroll), follow: action.follow};
    case 'detail-scroll':
      return {...state, detailScroll: Math.max(0, action.scroll)};
    case 'toggle-timestamps':
      return {...state, timestamps: !state.timestamps};
    case 'toggle-scope':
      return {...state, logScope: state.logScope === 'pod' ? 'container' : 'pod', follow: true};
    case 'prompt':
      return {...state, prompt: action.prompt};
    case 'search':
      return {...state, search: action.text};
    case 'filter':
      return {...state, filter: action.text, podOffset: 0};
    case 'sort':
      return {...state, sort: action.key};
    case 'toggle-mark': {
      const list = state.marks[action.pane];
      const next = list.includes(action.key) ? list.filter((k) => k !== action.key) : [...list, action.key];
      return {...state, marks: {...state.marks, [action.pane]: next}};
    }
    case 'clear-marks':
      return {...state, marks: {pods: [], containers: []}};
    case 'confirm':
      return {...state, confirm: action.intent};
    case 'help':
      return {...state, help: action.scroll === null ? null : Math.max(0, action.scroll)};
  }
}

/** The next (or previous) item of a cycle. */
export function cycle<T>(items: readonly T[], current: T, delta: number): T {
  const index = items.indexOf(current);
  const next = ((((index === -1 ? 0 : index) + delta) % items.length) + items.length) % items.length;
  return items[next] ?? current;
}
