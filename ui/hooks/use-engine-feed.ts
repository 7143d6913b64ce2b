import {useEffect} from 'react';
import type {Engine} from '../../src/index.js';
import {toEngineError} from '../../src/index.js';
import type {TuiStore} from '../store/tui-store.js';

/** Back-off of the pod list while the engine does not answer: 500 ms doubling to 2 s. */
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 2000;

/**
Feeds the store from the engine: every engine event updates it as it comes (no polling), and the pod list is
read once at start and again after every reconnect. While the engine does not answer, the list is retried
with back-off and the header says so; when dockerd returns, the TUI recovers on its own.

```tsx
useEngineFeed(engine, store);
```
*/
export function useEngineFeed(engine: Engine, store: TuiStore): void {
  useEffect(() => {
    const controller = new AbortController();
    let retry: NodeJS.Timeout | undefined;
    let delay = RETRY_MIN_MS;
    let loading = false;

    const load = async (): Promise<void> => {
      if (loading || controller.signal.aborted) return;
      loading = true;
      clearTimeout(retry);
      try {
        const [pods, version] = await Promise.all([
          engine.listPods({signal: controller.signal}),
          engine.version({signal: controller.signal}),
        ]);
        if (controller.signal.aborted) return;
        delay = RETRY_MIN_MS;
        store.setPods(pods);
        store.setServerVersion(version.serverVersion);
        const connection = engine.connection();
        store.setConnection({
          ...connection,
          connected: true,
          apiVersion: version.apiVersion || connection.apiVersion,
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        store.setConnection({...engine.connection(), connected: false, error: toEngineError(error).message});
        retry = setTimeout(() => void load(), delay);
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      } finally {
        loading = false;
      }
    };

    const unsubscribe = [
      engine.on('pod:status', ({pod}) => store.upsertPod(pod)),
      engine.on('pod:removed', ({name}) => store.removePod(name)),
      engine.on('container:status', ({pod, container}) => store.updateContainer(pod, container)),
      engine.on('container:health', ({pod, container}) => store.updateContainer(pod, container)),
      engine.on('engine:activity', (activity) => store.pushActivity(activity)),
      engine.on('engine:connection', (connection) => {
        store.setConnection(connection);
        // Back after an outage: re-read everything (pods may have changed while nobody watched).
        if (connection.connected) void load();
      }),
    ];
    store.setConnection(engine.connection());
    void load();
    return () => {
      controller.abort();
      clearTimeout(retry);
      for (const off of unsubscribe) off();
    };
  }, [engine, store]);
}
