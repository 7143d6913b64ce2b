import {useMemo} from 'react';
import type {Dispatch} from 'react';
import type {Engine, PodSpec} from '../../src/index.js';
import {toEngineError} from '../../src/index.js';
import {describeOutcome, ONGOING, runLifecycle} from '../actions/lifecycle.js';
import type {Intent, Target, ViewAction} from '../model/view-state.js';
import type {SpecSources} from '../session.js';
import type {TuiStore, UiActivity} from '../store/tui-store.js';

/** Engine work started from keys; each reports in the status line and in the events tab. */
export interface Actions {
  lifecycle(intent: Intent): void;
  exec(target: Target, command: string): void;
  applyFile(file: string): void;
  demo(): void;
  refresh(): void;
}

/** Exec output kept for the pane (the engine caps at 16 MiB; a pane needs far less). */
const EXEC_MAX_BYTES = 256 * 1024;
const EXEC_TIMEOUT_MS = 60_000;

/**
The TUI's engine actions. They run to the end even if Ink remounts meanwhile (a shell opened during a stop),
so they report through the store, not React state.

```tsx
const actions = useActions(engine, store, dispatch, specs);
actions.lifecycle({op: 'stop', scope: 'pod', targets: [{ref: 'web', label: 'web'}]});
```
*/
export function useActions(
  engine: Engine,
  store: TuiStore,
  dispatch: Dispatch<ViewAction>,
  specs: SpecSources,
): Actions {
  return useMemo(() => {
    const record = (
      message: string,
      extra: Partial<Pick<UiActivity, 'pod' | 'container' | 'level'>> = {},
    ): void => {
      store.pushActivity({
        at: new Date().toISOString(),
        level: extra.level ?? 'info',
        source: 'tui',
        message,
        ...extra,
      });
    };
    const fail = (what: string, error: unknown): void => {
      const message = `${what} failed: ${toEngineError(error).message}`;
      store.setMessage({text: message.split('\n').join(' '), level: 'error'});
      record(message, {level: 'error'});
    };
    const apply = async (spec: PodSpec, origin: string): Promise<void> => {
      store.setMessage({text: `applying pod ${spec.name} (${origin})…`, level: 'info'});
      record(`apply pod ${spec.name} from ${origin}`, {pod: spec.name});
      const result = await engine.applyPod(spec, {
        onProgress: (progress) =>
          store.setMessage({text: `pod ${spec.name}: ${progress.message}`, level: 'info'}),
      });
      dispatch({type: 'select-pod', name: result.pod.name, offset: 0});
      const detail =
        result.pod.message === '' || result.pod.message === result.pod.status
          ? ''
          : `: ${result.pod.message}`;
      const text = `pod ${result.pod.name} ${result.action} (${result.pod.status}${detail})`;
      store.setMessage({text, level: result.pod.status === 'failed' ? 'error' : 'info'});
      record(text, {pod: result.pod.name});
    };
    return {
      lifecycle(intent) {
        const labels = intent.targets.map((t) => t.label).join(', ');
        store.setMessage({text: `${ONGOING[intent.op]} ${intent.scope} ${labels}…`, level: 'info'});
        record(`${intent.op} ${intent.scope} ${labels}`);
        void runLifecycle(engine, intent).then((outcome) => {
          const text = describeOutcome(intent, outcome);
          const level = outcome.failed.length > 0 ? 'error' : 'info';
          store.setMessage({text, level});
          record(text, {level});
          if (intent.targets.length > 1) dispatch({type: 'clear-marks'});
        });
      },
      exec(target, command) {
        store.setExec({target: target.label, command, result: null, error: null});
        dispatch({type: 'tab', tab: 'exec'});
        record(`exec in ${target.label}: ${command}`);
        void engine
          .exec(target.ref, {
            cmd: ['sh', '-c', command],
            timeoutMs: EXEC_TIMEOUT_MS,
            maxOutputBytes: EXEC_MAX_BYTES,
          })
          .then(
            (result) => {
              store.setExec({target: target.label, command, result, error: null});
              store.setMessage({
                text: `exec in ${target.label} exited with ${result.exitCode}`,
                level: result.exitCode === 0 ? 'info' : 'warn',
              });
              record(`exec in ${target.label}: ${command} → exit ${result.exitCode}`);
            },
            (error: unknown) => {
              store.setExec({
                target: target.label,
                command,
                result: null,
                error: toEngineError(error).message,
              });
              fail(`exec in ${target.label}`, error);
            },
          );
      },
      applyFile(file) {
        void specs
          .loadSpec(file)
          .then((spec) => apply(spec, file))
          .catch((error: unknown) => fail(`apply ${file}`, error));
      },
      demo() {
        void specs
          .demoSpec()
          .then((spec) => apply(spec, 'the demo'))
          .catch((error: unknown) => fail('demo', error));
      },
      refresh() {
        store.setMessage({text: 're-reading everything from the engine…', level: 'info'});
        void engine
          .reconcile()
          .then(() => engine.listPods())
          .then((pods) => {
            store.setPods(pods);
            store.setMessage({text: `re-read ${pods.length} pod(s)`, level: 'info'});
          })
          .catch((error: unknown) => fail('refresh', error));
      },
    };
  }, [engine, store, dispatch, specs]);
}
