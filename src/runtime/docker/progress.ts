import type {Readable} from 'node:stream';
import type {ProgressEvent} from '../port.js';
import {compact, obj, optNum, optStr, str} from './json.js';
import {JsonValueSplitter} from './json-stream.js';

/** One message of a pull, push or build stream, read into its parts. */
export interface ProgressMessage {
  readonly event: ProgressEvent;
  /** `error`, or `errorDetail.message`: the operation failed even though HTTP said 200. */
  readonly error: string | undefined;
  /** `aux.ID` of a build (the image id), when present. */
  readonly auxId: string | undefined;
}

/** Reads one progress message. */
export function toProgressMessage(json: unknown): ProgressMessage {
  const detail = obj(json, 'progressDetail');
  const errorText = optStr(json, 'error') ?? optStr(obj(json, 'errorDetail'), 'message');
  const auxId = str(obj(json, 'aux'), 'ID');
  return {
    event: compact({
      id: optStr(json, 'id'),
      status: optStr(json, 'status'),
      progress: optStr(json, 'progress'),
      current: optNum(detail, 'current'),
      total: optNum(detail, 'total'),
      stream: optStr(json, 'stream'),
    }),
    error: errorText === '' ? undefined : errorText,
    auxId: auxId === '' ? undefined : auxId,
  };
}

/** What a whole progress stream said. */
export interface ProgressOutcome {
  /** The first error message, if any. */
  readonly error: string | undefined;
  /** The last `aux.ID` seen (a build's image id). */
  readonly auxId: string | undefined;
}

/**
Reads a progress stream to its end, calling `onProgress` per message and `onData` per chunk (to push an
inactivity deadline back). Errors inside the stream are returned, not thrown: the caller knows which code
they deserve. Socket errors and aborts propagate.
*/
export async function readProgress(
  stream: Readable,
  hooks: {readonly onProgress?: ((event: ProgressEvent) => void) | undefined; readonly onData?: () => void},
): Promise<ProgressOutcome> {
  const splitter = new JsonValueSplitter();
  let error: string | undefined;
  let auxId: string | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    hooks.onData?.();
    for (const text of splitter.push(chunk)) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        continue; // a garbled line is not worth failing a pull over; the daemon's own error would follow
      }
      const message = toProgressMessage(json);
      error ??= message.error;
      auxId = message.auxId ?? auxId;
      hooks.onProgress?.(message.event);
    }
  }
  return {error, auxId};
}

/**
A deadline that moves forward every time `touch()` is called: aborts `signal` after `ms` of silence. It
also follows `parent`, so one signal serves both the caller's cancel and the inactivity timeout.
*/
export class InactivityDeadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: NodeJS.Timeout | undefined;
  #expired = false;

  constructor(ms: number, parent?: AbortSignal) {
    this.#ms = ms;
    this.signal =
      parent === undefined ? this.#controller.signal : AbortSignal.any([parent, this.#controller.signal]);
    this.touch();
  }

  /** Pushes the deadline `ms` into the future. */
  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#controller.abort(new Error(`no progress for ${this.#ms} ms`));
    }, this.#ms);
  }

  /** True once the deadline fired (as opposed to the parent signal). */
  get expired(): boolean {
    return this.#expired;
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
