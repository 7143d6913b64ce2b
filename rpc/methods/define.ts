/**
The shape of one method in the table: its name, its params and result schemas, its hints and the errors it
may answer, and its handler. rpc/, mcp/, rpc.discover, docs/protocol.md and the typed client all read the
same table, so a method is described once.
*/
import type {z} from 'zod';
import type {Engine} from '../../src/index.js';
import type {RpcErrorName} from '../errors.js';
import type {Logger} from '../log.js';
import type {ServerPolicy} from '../policy.js';
import type {Session} from '../session/session.js';

export interface MethodHints {
  /** Does not change the engine's state (served under --read-only). */
  readonly readOnly: boolean;
  /** May delete or stop something (MCP's destructiveHint). */
  readonly destructive: boolean;
  /** Calling it again with the same params has no further effect. */
  readonly idempotent: boolean;
}

/** LSP work-done progress values, sent as `$/progress {token, value}`. */
export type WorkDoneProgress =
  | {readonly kind: 'begin'; readonly title: string; readonly message?: string; readonly percentage?: number}
  | {readonly kind: 'report'; readonly message?: string; readonly percentage?: number}
  | {readonly kind: 'end'; readonly message?: string};

export interface CallContext {
  readonly method: string;
  /** Aborted when the client cancels ($/cancelRequest) or the server exits. */
  readonly signal: AbortSignal;
  /** The engine, built on first use. */
  readonly engine: () => Promise<Engine>;
  readonly policy: ServerPolicy;
  readonly log: Logger;
  /** Which face serves the call: output caps differ for agents. */
  readonly face: 'rpc' | 'mcp';
  /** The rpc connection's session (subscriptions, lifecycle); absent on the mcp face. */
  readonly session?: Session;
  /** Reports progress when the client gave a workDoneToken; a no-op otherwise. */
  readonly progress: (value: WorkDoneProgress) => void;
}

export interface MethodSpec<P extends z.ZodType, R extends z.ZodType> {
  readonly name: string;
  readonly summary: string;
  readonly params: P;
  readonly result: R;
  readonly hints: MethodHints;
  /** Application errors this method may answer (protocol errors apply to all). */
  readonly errors: readonly RpcErrorName[];
  /** Reports `$/progress` when given a workDoneToken. */
  readonly progress?: boolean;
  /** Only on the rpc face (lifecycle, subscriptions): MCP has its own. */
  readonly rpcOnly?: boolean;
  /** Server policy checks on valid params (privileged, host paths); throws FORBIDDEN. */
  policy?(params: z.output<P>, ctx: CallContext): Promise<void> | void;
  handle(params: z.output<P>, ctx: CallContext): Promise<z.input<R>>;
}

/** Any method of the table, its types erased (method syntax keeps the handlers assignable). */
export type AnyMethod = MethodSpec<z.ZodType, z.ZodType>;

/** Identity, for inference: `defineMethod({...})` keeps the params and result types of one method. */
export function defineMethod<P extends z.ZodType, R extends z.ZodType>(
  spec: MethodSpec<P, R>,
): MethodSpec<P, R> {
  return spec;
}

export const READ: MethodHints = {readOnly: true, destructive: false, idempotent: true};
export const CHANGE: MethodHints = {readOnly: false, destructive: false, idempotent: false};
export const CHANGE_IDEMPOTENT: MethodHints = {readOnly: false, destructive: false, idempotent: true};
export const DESTROY: MethodHints = {readOnly: false, destructive: true, idempotent: true};

/** Errors most engine calls may answer. */
export const ENGINE_ERRORS = ['EngineUnavailable', 'EngineError'] as const satisfies readonly RpcErrorName[];
