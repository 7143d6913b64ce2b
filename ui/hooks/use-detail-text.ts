import {useEffect, useState} from 'react';
import {stringify} from 'yaml';
import type {Engine} from '../../src/index.js';
import {toEngineError} from '../../src/index.js';

/** A request for the text of the spec or inspect tab: `key` changes when the text would. */
export interface TextRequest {
  readonly key: string;
  readonly kind: 'spec' | 'inspect';
  readonly ref: string;
}

/** Loaded text, or why it is missing. `lines` is null while loading. */
export interface TextState {
  readonly key: string | null;
  readonly lines: readonly string[] | null;
  readonly error: string | null;
}

/**
Loads the pod spec (as YAML) or the container's inspect (as JSON) when the tab shows it, once per `key`
(the key carries the spec hash or the container's state, so a restart re-reads it). No polling.

```tsx
const text = useDetailText(engine, {key: 'spec:web:ab12', kind: 'spec', ref: 'web'});
```
*/
export function useDetailText(engine: Engine, request: TextRequest | null): TextState {
  const [state, setState] = useState<TextState>({key: null, lines: null, error: null});
  const key = request?.key ?? null;
  const kind = request?.kind;
  const ref = request?.ref;
  useEffect(() => {
    if (key === null || ref === undefined) return;
    const controller = new AbortController();
    setState({key, lines: null, error: null});
    const load = async (): Promise<string> =>
      kind === 'spec'
        ? stringify(await engine.getPodSpec(ref, {signal: controller.signal}))
        : JSON.stringify(await engine.inspectContainer(ref, {signal: controller.signal}), null, 2);
    load().then(
      (text) => {
        if (!controller.signal.aborted)
          setState({key, lines: text.replace(/\n$/, '').split('\n'), error: null});
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({key, lines: null, error: toEngineError(error).message});
      },
    );
    return () => controller.abort();
  }, [engine, key, kind, ref]);
  return state.key === key ? state : {key, lines: null, error: null};
}
