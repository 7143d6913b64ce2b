/**
`pod.list` from memory. The engine's listPods re-lists Docker on every call (a round trip that grows with the
number of containers); between engine events nothing it returns can have changed, so the last answer is kept
until any pod, container, health or connection event arrives (or a second passes: probe histories change
without one), and served as is meanwhile.
*/
import type {Engine, EngineEventName, PodView} from '../src/index.js';

const INVALIDATING: readonly EngineEventName[] = [
  'pod:status',
  'pod:removed',
  'container:status',
  'container:health',
  'engine:connection',
];

/** How long a list may be served without a fresh read even when no event came. */
const MAX_AGE_MS = 1000;

class PodListCache {
  readonly #engine: Engine;
  #views: readonly PodView[] | undefined;
  #at = 0;
  #generation = 0;

  constructor(engine: Engine) {
    this.#engine = engine;
    for (const event of INVALIDATING) {
      engine.on(event, () => {
        this.#generation++;
        this.#views = undefined;
      });
    }
  }

  async list(signal: AbortSignal): Promise<readonly PodView[]> {
    const fresh = Date.now() - this.#at < MAX_AGE_MS;
    if (this.#views !== undefined && fresh && this.#engine.connection().connected) return this.#views;
    const generation = this.#generation;
    const views = await this.#engine.listPods({signal});
    // A change that arrived while listing may not be in this answer: keep it only if none did.
    if (generation === this.#generation) {
      this.#views = views;
      this.#at = Date.now();
    }
    return views;
  }
}

const caches = new WeakMap<Engine, PodListCache>();

/** The engine's pods, from memory while nothing changed. */
export function listPodsCached(engine: Engine, signal: AbortSignal): Promise<readonly PodView[]> {
  let cache = caches.get(engine);
  if (cache === undefined) {
    cache = new PodListCache(engine);
    caches.set(engine, cache);
  }
  return cache.list(signal);
}
