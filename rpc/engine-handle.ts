/**
The engine, built on first use and kept. A failed build is forgotten so the next call tries again (the
container engine may come up later); the server answers `initialize` without waiting for any of it.
*/
import type {Engine} from '../src/index.js';

export interface EngineHandle {
  /** Where the engine connects, known before it is built (for `initialize` while it is unreachable). */
  readonly endpoint: string;
  get(): Promise<Engine>;
  /** The engine if it is built already. */
  peek(): Engine | undefined;
  /** Closes the engine if it was built (pods keep running). */
  close(): Promise<void>;
}

export function lazyEngine(endpoint: string, build: () => Promise<Engine>): EngineHandle {
  let pending: Promise<Engine> | undefined;
  let built: Engine | undefined;
  let closed = false;
  return {
    endpoint,
    get() {
      if (closed) return Promise.reject(new Error('the engine is closed'));
      pending ??= build().then(
        (engine) => {
          built = engine;
          return engine;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
    peek: () => built,
    async close() {
      closed = true;
      const engine = built ?? (await pending?.catch(() => undefined));
      await engine?.close();
    },
  };
}
