/**
Small stand-ins for the engine I/O unit tests: a runtime that implements only what a test needs (the rest
throws), resolved containers, and Docker-shaped log chunks with timestamps.
*/
import type {LogChunk, ContainerRuntime} from '../../src/runtime/port.js';
import type {IoDeps, ResolvedContainer, ResolvedPod} from '../../src/engine/io/deps.js';
import {EngineError} from '../../src/errors.js';

/** A runtime whose every method throws unless `methods` provides it. */
export function stubRuntime(methods: Partial<ContainerRuntime>): ContainerRuntime {
  return new Proxy(methods, {
    get(target, key) {
      if (key === 'endpoint') return 'stub://';
      const value: unknown = Reflect.get(target, key);
      if (value !== undefined) return value;
      if (key === 'then') return undefined;
      return () => {
        throw new Error(`stub runtime: ${String(key)} not provided`);
      };
    },
  }) as ContainerRuntime;
}

export function container(name: string, id = `id-${name}`, pod = 'web'): ResolvedContainer {
  return {id, dockerName: `${pod}-${name}`, pod, name, role: 'app', tty: false};
}

/** Deps resolving refs among `containers` (by id or name) and, when given, one pod. */
export function stubDeps(
  runtime: ContainerRuntime,
  containers: readonly ResolvedContainer[],
  pod?: ResolvedPod,
): IoDeps {
  const resolve = (ref: string) => {
    const found = containers.find((c) => c.id === ref || c.name === ref);
    if (found === undefined)
      return Promise.reject(new EngineError('NOT_FOUND', `container not found: ${ref}`));
    return Promise.resolve(found);
  };
  const resolvePod = (ref: string) => {
    if (pod === undefined || (ref !== pod.name && ref !== pod.infraId)) {
      return Promise.reject(new EngineError('NOT_FOUND', `pod not found: ${ref}`));
    }
    return Promise.resolve(pod);
  };
  return {runtime, resolve, resolvePod};
}

/** An RFC 3339 timestamp with nanoseconds, `second` seconds and `nanos` after a fixed minute. */
export function ts(second: number, nanos = 0): string {
  return `2024-05-01T10:00:${String(second).padStart(2, '0')}.${String(nanos).padStart(9, '0')}Z`;
}

/** A chunk of `text` on `stream`. */
export function chunk(stream: 'stdout' | 'stderr', text: string | Buffer): LogChunk {
  return {stream, data: typeof text === 'string' ? Buffer.from(text, 'utf8') : text};
}

/** One timestamped line as Docker sends it. */
export function stamped(stream: 'stdout' | 'stderr', time: string, text: string): LogChunk {
  return chunk(stream, `${time} ${text}\n`);
}

/** An async iterable over the given chunks. */
export async function* chunks(items: readonly LogChunk[]): AsyncGenerator<LogChunk> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}
