/** Building blocks of the FakeEngine: a pushable stream, and pod and container views with defaults. */
import type {ContainerView, PodView} from '../../src/index.js';

/** A pushable async stream that ends when its signal aborts or `end()` is called. */
export class Channel<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;

  constructor(signal?: AbortSignal) {
    signal?.addEventListener('abort', () => this.end(), {once: true});
  }

  get ended(): boolean {
    return this.#ended;
  }

  push(item: T): void {
    if (this.#ended) return;
    this.#items.push(item);
    this.#wake?.();
  }

  end(error?: unknown): void {
    this.#ended = true;
    this.#error = error;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) {
          throw this.#error instanceof Error ? this.#error : new Error('stream failed', {cause: this.#error});
        }
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

/** A container view with defaults; override what the test cares about. */
export function fakeContainer(
  pod: string,
  name: string,
  overrides: Partial<ContainerView> = {},
): ContainerView {
  const role = name === 'infra' ? 'infra' : 'app';
  return {
    name,
    pod,
    role,
    id: `${pod}-${name}-id`.padEnd(12, '0'),
    dockerName: `${pod}-${name}`,
    image: role === 'infra' ? 'bcs-executor/pause:local' : 'bcs-executor/demo:local',
    status: 'running',
    healthy: null,
    health: null,
    dockerHealth: null,
    exitCode: null,
    oomKilled: false,
    restartCount: 0,
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    finishedAt: null,
    pid: 100,
    message: '',
    ...overrides,
  };
}

/** A running pod with an infra container and the named apps. */
export function fakePod(
  name: string,
  apps: readonly string[] = ['app'],
  overrides: Partial<PodView> = {},
): PodView {
  return {
    name,
    id: `${name}-infra-id`.padEnd(12, '0'),
    status: 'running',
    message: '',
    ip: '172.17.0.2',
    network: {driver: 'docker', name: 'bridge'},
    hostname: name,
    ports: [],
    restartPolicy: 'Never',
    createdAt: new Date(Date.now() - 3_600_000).toISOString(),
    healthy: null,
    labels: {},
    specHash: 'abc123',
    infra: fakeContainer(name, 'infra'),
    containers: apps.map((app) => fakeContainer(name, app)),
    ...overrides,
  };
}
