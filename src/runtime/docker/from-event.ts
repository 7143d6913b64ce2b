import type {RuntimeEvent, RuntimeEventType} from '../port.js';
import {num, obj, str, strMap} from './json.js';

const TYPES: readonly RuntimeEventType[] = [
  'container',
  'image',
  'network',
  'volume',
  'daemon',
  'plugin',
  'builder',
];

/** `"timeNano": <digits>` at the top level; read from the text because the value overflows a double. */
const TIME_NANO = /"timeNano"\s*:\s*(\d+)/;

/**
Parses the text of one `/events` message. `timeNano` is read from the raw text (JSON.parse would round it;
inside string values a quote is escaped, so the pattern only meets the real key), falling back to `time`
in seconds. Returns undefined for messages that are not events (unknown type, no action).
*/
export function parseEvent(text: string): RuntimeEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Pre-1.22 daemons sent only {status, id}; Type/Action/Actor are what 1.40+ always send.
  const type = str(json, 'Type');
  const action = str(json, 'Action', str(json, 'status'));
  if (!(TYPES as readonly string[]).includes(type) || action === '') return undefined;
  const actor = obj(json, 'Actor');
  const nanos = TIME_NANO.exec(text)?.[1];
  return {
    type: type as RuntimeEventType,
    action,
    id: str(actor, 'ID', str(json, 'id')),
    attributes: strMap(actor, 'Attributes'),
    timeNano: nanos !== undefined ? BigInt(nanos) : BigInt(num(json, 'time')) * 1_000_000_000n,
  };
}

/** Builds the `filters` query of `/events` (Docker's `{"type": [...], "label": [...], "event": [...]}`). */
export function eventFilters(options: {
  readonly types?: readonly string[] | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly actions?: readonly string[] | undefined;
}): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  if (options.types !== undefined && options.types.length > 0) filters['type'] = [...options.types];
  if (options.labels !== undefined && options.labels.length > 0) filters['label'] = [...options.labels];
  if (options.actions !== undefined && options.actions.length > 0) filters['event'] = [...options.actions];
  return filters;
}
