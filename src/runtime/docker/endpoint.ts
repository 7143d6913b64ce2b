import {validationError} from '../../errors.js';

/** Where the engine listens when nothing else is said. */
export const DEFAULT_ENDPOINT = 'unix:///var/run/docker.sock';

/** A resolved engine address: a unix socket or an HTTP host and port. */
export type ResolvedEndpoint =
  | {readonly kind: 'unix'; readonly endpoint: string; readonly socketPath: string}
  | {readonly kind: 'tcp'; readonly endpoint: string; readonly host: string; readonly port: number};

/** Docker's plain-HTTP port, used when a `tcp://` address names none. */
const DEFAULT_TCP_PORT = 2375;

const ALLOWED = 'unix:///path/to.sock, /path/to.sock, tcp://host:port, http://host:port';

/**
Picks the engine address: the explicit one (the `--host` flag) wins over `DOCKER_HOST`, which wins over the
default socket. An empty string counts as unset. Throws VALIDATION for anything it cannot reach.
*/
export function resolveEndpoint(
  explicit?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedEndpoint {
  const fromEnv = env['DOCKER_HOST'];
  const raw =
    explicit !== undefined && explicit !== ''
      ? explicit
      : fromEnv !== undefined && fromEnv !== ''
        ? fromEnv
        : DEFAULT_ENDPOINT;
  return parseEndpoint(raw.trim());
}

/** Parses one address; see {@link resolveEndpoint} for the accepted forms. */
export function parseEndpoint(raw: string): ResolvedEndpoint {
  if (raw.startsWith('/')) return unix(raw);
  if (raw.startsWith('unix://')) {
    const socketPath = raw.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw invalid(raw, 'a unix socket path must be absolute');
    return unix(socketPath);
  }
  const match = /^(tcp|http):\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(raw);
  if (match) {
    const [, scheme = 'tcp', host = '', portText] = match;
    const port = portText === undefined ? DEFAULT_TCP_PORT : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw invalid(raw, 'the port is out of range');
    const bareHost = host.replace(/^\[(.*)\]$/, '$1');
    return {kind: 'tcp', endpoint: `${scheme}://${host}:${port}`, host: bareHost, port};
  }
  throw invalid(raw, 'unsupported engine address');
}

function unix(socketPath: string): ResolvedEndpoint {
  return {kind: 'unix', endpoint: `unix://${socketPath}`, socketPath};
}

function invalid(raw: string, message: string) {
  return validationError([
    {path: 'endpoint', message: `${message}: ${JSON.stringify(raw)}`, allowed: ALLOWED},
  ]);
}
