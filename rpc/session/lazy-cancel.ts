/** A request's cancellation, bridged from vscode-jsonrpc's token to an AbortSignal. */
import type {CancellationToken} from 'vscode-jsonrpc/node';
import {EngineError} from '../../src/index.js';

/**
A request's AbortSignal, made only when a handler asks for it, aborted by `$/cancelRequest` or by the server
ending the session (whichever came first, even before the signal existed).
*/
export class LazyCancel {
  readonly #token: CancellationToken;
  readonly #method: string;
  #controller: AbortController | undefined;
  #listener: {dispose(): void} | undefined;
  #aborted = false;

  constructor(token: CancellationToken, method: string) {
    this.#token = token;
    this.#method = method;
  }

  /** Cancelled by the client or by the server. */
  get aborted(): boolean {
    return this.#aborted || this.#token.isCancellationRequested;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.aborted) controller.abort(this.#reason());
      else this.#listener = this.#token.onCancellationRequested(() => controller.abort(this.#reason()));
    }
    return this.#controller.signal;
  }

  abort(): void {
    this.#aborted = true;
    this.#controller?.abort(this.#reason());
  }

  dispose(): void {
    this.#listener?.dispose();
  }

  #reason(): EngineError {
    return new EngineError('CANCELLED', `${this.#method} cancelled`);
  }
}
