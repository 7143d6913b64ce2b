/**
The typed client's view of the protocol: params and result of every method, payload of every notification,
and the namespaced form (`client.api.pod.create(...)`) derived from the method names. Types only: the client
loads none of the server's code.
*/
import type {MethodName, RpcMethods} from '../methods/table.js';
import type {NotificationName, NotificationParams} from '../notifications.js';

export type {MethodName, RpcMethods, NotificationName, NotificationParams};

export type ParamsOf<M extends MethodName> = RpcMethods[M]['params'];
export type ResultOf<M extends MethodName> = RpcMethods[M]['result'];

/** LSP work-done progress values. */
export interface ProgressValue {
  readonly kind: 'begin' | 'report' | 'end';
  readonly title?: string;
  readonly message?: string;
  readonly percentage?: number;
}

export interface RequestOptions {
  /** Aborting sends `$/cancelRequest`; the call then rejects with -32800. */
  readonly signal?: AbortSignal;
  /** For methods that report progress: a workDoneToken is added and each `$/progress` value lands here. */
  readonly onProgress?: (value: ProgressValue) => void;
}

/** Params are optional when the method needs none. */
type Call<M extends MethodName> =
  Record<string, never> extends ParamsOf<M>
    ? (params?: ParamsOf<M>, options?: RequestOptions) => Promise<ResultOf<M>>
    : (params: ParamsOf<M>, options?: RequestOptions) => Promise<ResultOf<M>>;

type Noun<M> = M extends `${infer N}.${string}` ? N : never;
type Verb<M, N extends string> = M extends `${N}.${infer V}` ? V : never;

/** `{pod: {create, list, ...}, container: {...}, ...}` for every `noun.verb` method. */
export type NamespacedApi = {
  readonly [N in Noun<MethodName>]: {
    readonly [V in Verb<MethodName, N>]: Call<Extract<MethodName, `${N}.${V}`>>;
  };
};
