/**
The method table: every method of the protocol, in the order docs/protocol.md lists them. The rpc server, the
mcp tools, rpc.discover, the docs and the typed client's types all come from here.
*/
import type {z} from 'zod';
import {CONTAINER_METHODS} from './container.js';
import {IMAGE_METHODS} from './image.js';
import {POD_METHODS} from './pod.js';
import {SUBSCRIBE_METHODS} from './subscribe.js';
import {SYSTEM_METHODS} from './system.js';

export const METHODS = {
  ...SYSTEM_METHODS,
  ...POD_METHODS,
  ...CONTAINER_METHODS,
  ...IMAGE_METHODS,
  ...SUBSCRIBE_METHODS,
};

export type MethodName = keyof typeof METHODS;

/** For the typed client: each method's params (as sent) and result (as received). */
export type RpcMethods = {
  [K in MethodName]: {
    readonly params: z.input<(typeof METHODS)[K]['params']>;
    readonly result: z.output<(typeof METHODS)[K]['result']>;
  };
};
