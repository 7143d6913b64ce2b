/**
Port binding keys (`<containerPort>/<protocol>`) and the seed's port protocols, shared by validation and mapping.
*/
import type {BcsPort} from './types.js';

export const PORT_PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

/** The seed accepted application protocols too and published them as tcp. */
const TCP_ALIASES = new Set(['http', 'https']);

export const PORT_KEY_FORM = '<1-65535>/<tcp|udp|sctp> (http and https mean tcp)';

/** A port number in 1-65535 written in decimal digits, or undefined. */
export function parsePortNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

/** Docker's protocol for a seed protocol (case-insensitive; http and https are tcp), or undefined when unknown. */
export function dockerProtocol(protocol: string): PortProtocol | undefined {
  const lower = protocol.toLowerCase();
  if (TCP_ALIASES.has(lower)) return 'tcp';
  return (PORT_PROTOCOLS as readonly string[]).includes(lower) ? (lower as PortProtocol) : undefined;
}

/** Splits `80/tcp` (protocol per `dockerProtocol`); undefined when malformed. */
export function parsePortKey(key: string): {port: number; protocol: PortProtocol} | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const port = parsePortNumber(key.slice(0, slash));
  const protocol = dockerProtocol(key.slice(slash + 1));
  return port === undefined || protocol === undefined ? undefined : {port, protocol};
}

/** The host port to bind, or undefined when the binding asks for none (the seed's hostPort 0, or empty). */
export function requestedHostPort(binding: BcsPort): string | undefined {
  const hostPort = binding.hostPort.trim();
  return hostPort === '' || /^0+$/.test(hostPort) ? undefined : hostPort;
}
