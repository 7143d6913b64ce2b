/** The processes of a container (`docker top`). */
import type {TopResult} from '../../runtime/port.js';
import type {Signal} from '../engine.js';
import type {IoDeps} from './deps.js';

/**
The processes running in container `ref`, as `ps` shows them with `psArgs` (default `-ef`). Throws NOT_FOUND,
and INVALID_STATE when the container is not running.
*/
export async function topContainer(
  deps: IoDeps,
  ref: string,
  options: Signal & {readonly psArgs?: string} = {},
): Promise<TopResult> {
  const container = await deps.resolve(ref, options.signal);
  return await deps.runtime.topContainer(
    container.id,
    options.psArgs,
    options.signal === undefined ? {} : {signal: options.signal},
  );
}
