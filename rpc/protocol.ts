/** Protocol identity, shared by the server, the client, rpc.discover and docs/protocol.md. */

/** Bumped on any incompatible change of a method, a notification or an error code. */
export const PROTOCOL_VERSION = '1.0';

export const SERVER_NAME = 'bcs-executor';

/** Notifications a client sends (a request with one of these names is refused: it carries an id). */
export const CLIENT_NOTIFICATIONS = [
  'initialized',
  'exit',
  '$/cancelRequest',
  '$/setTrace',
  '$/progress',
] as const;
