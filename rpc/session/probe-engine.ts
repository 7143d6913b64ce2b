/**
What `initialize` says about the container engine: whether it answers within a short budget, and its API
version. The answer never waits longer than the budget; a client learns of later changes from
engine/connectionChanged.
*/
import type {RuntimeVersion} from '../../src/index.js';
import type {EngineHandle} from '../engine-handle.js';

export interface EngineStatus {
  readonly reachable: boolean;
  readonly endpoint: string;
  readonly apiVersion: string | null;
  readonly version?: RuntimeVersion;
  readonly error?: string;
}

export async function probeEngine(handle: EngineHandle, budgetMs: number): Promise<EngineStatus> {
  const signal = AbortSignal.timeout(budgetMs);
  try {
    const engine = await Promise.race([
      handle.get(),
      new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => {
          reject(new Error('the engine is still starting'));
        });
      }),
    ]);
    const version = await engine.version({signal});
    return {reachable: true, endpoint: engine.connection().endpoint, apiVersion: version.apiVersion, version};
  } catch (error) {
    const connection = handle.peek()?.connection();
    const message = signal.aborted
      ? `no answer within ${budgetMs} ms; engine/connectionChanged reports when it does`
      : error instanceof Error
        ? error.message
        : String(error);
    return {
      reachable: false,
      endpoint: connection?.endpoint ?? handle.endpoint,
      apiVersion:
        connection?.apiVersion === undefined || connection.apiVersion === '' ? null : connection.apiVersion,
      error: message,
    };
  }
}
