/** The answer to `initialize`: who the server is, what it can do, and how the engine is. */
import type {FramingState} from '../framing/framing.js';
import type {ServerPolicy} from '../policy.js';
import {PROTOCOL_VERSION} from '../protocol.js';
import type {EngineStatus} from './probe-engine.js';

export interface InitializeResult {
  readonly serverInfo: {readonly name: string; readonly version: string};
  readonly protocolVersion: string;
  readonly capabilities: {
    readonly framing: 'headers' | 'ndjson';
    readonly batches: boolean;
    readonly maxMessageBytes: number;
    readonly readOnly: boolean;
    readonly allowPrivileged: boolean;
    readonly allowBind: string[];
    readonly cancellation: boolean;
    readonly progress: boolean;
    readonly subscriptions: string[];
  };
  readonly engine: EngineStatus;
}

export function initializeResult(
  server: {
    readonly serverInfo: {readonly name: string; readonly version: string};
    readonly framing: FramingState;
    readonly maxMessageBytes: number;
    readonly policy: ServerPolicy;
  },
  engine: EngineStatus,
): InitializeResult {
  return {
    serverInfo: {...server.serverInfo},
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {
      framing: server.framing.framing,
      batches: false,
      maxMessageBytes: server.maxMessageBytes,
      readOnly: server.policy.readOnly,
      allowPrivileged: server.policy.allowPrivileged,
      allowBind: [...server.policy.allowBindRoots],
      cancellation: true,
      progress: true,
      subscriptions: ['events', 'logs', 'stats'],
    },
    engine,
  };
}
