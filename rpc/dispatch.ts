/**
One call of a table method, the same on both faces: refuse mutating methods under --read-only, validate the
params against the method's schema (every problem listed), apply the server policy, then run the handler.
The engine is touched only after all of that passed.
*/
import {z} from 'zod';
import {EngineError} from '../src/index.js';
import {invalidParams} from './errors.js';
import type {AnyMethod, CallContext} from './methods/define.js';
import {METHODS} from './methods/table.js';
import {toParamIssues} from './schema/issues.js';

let byName: ReadonlyMap<string, AnyMethod> | undefined;

/** Built on first use: the table imports rpc.discover, which reads it back through here. */
function table(): ReadonlyMap<string, AnyMethod> {
  byName ??= new Map(Object.values<AnyMethod>(METHODS).map((method) => [method.name, method]));
  return byName;
}

export function methodNamed(name: string): AnyMethod | undefined {
  return table().get(name);
}

/** Every method, in table order. */
export function allMethods(): readonly AnyMethod[] {
  return [...table().values()];
}

function knownFields(method: AnyMethod): readonly string[] | undefined {
  return method.params instanceof z.ZodObject ? Object.keys(method.params.shape) : undefined;
}

/** Refuses a mutating method on a read-only server (before the params are even looked at). */
export function checkReadOnly(method: AnyMethod, readOnly: boolean): void {
  if (readOnly && !method.hints.readOnly) {
    throw new EngineError(
      'READ_ONLY',
      `${method.name} changes state and this server is read-only (--read-only)`,
      {
        details: {method: method.name},
      },
    );
  }
}

/** The params, parsed; absent params count as `{}`. Throws -32602 with every issue. */
export function parseParams(method: AnyMethod, raw: unknown): unknown {
  const input = raw ?? {};
  if (Array.isArray(input)) {
    throw invalidParams(method.name, [
      {path: '', message: 'params must be an object (by name), not an array'},
    ]);
  }
  const result = method.params.safeParse(input);
  if (!result.success)
    throw invalidParams(method.name, toParamIssues(result.error, input, knownFields(method)));
  return result.data;
}

/** Read-only check, params, policy, handler. Errors are thrown as they are (the face maps them). */
export async function invoke(method: AnyMethod, raw: unknown, ctx: CallContext): Promise<unknown> {
  checkReadOnly(method, ctx.policy.readOnly);
  const params = parseParams(method, raw);
  await method.policy?.(params, ctx);
  return method.handle(params, ctx);
}
