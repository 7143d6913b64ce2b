import {EngineError} from '../../errors.js';

/**
The newest Engine API version this adapter has been checked against. A newer daemon is spoken to in this
version (it keeps serving old versions), so a field we do not know never surprises the mappers.
*/
export const MAX_TESTED_API_VERSION = '1.45';

/** The oldest version we accept: 1.40 (Docker 19.03) has `Init`, health, `wait?condition` and `one-shot` peers. */
export const MIN_SUPPORTED_API_VERSION = '1.40';

/** Compares two `major.minor` versions: negative, zero or positive like a sort comparator. */
export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor === bMajor ? aMinor - bMinor : aMajor - bMajor;
}

/**
The version to speak: the lower of the daemon's and ours. Docker removes unversioned paths, and dockerode does
no negotiation of its own, so the adapter does it once per connection from `/_ping`'s `Api-Version`.
Throws UNSUPPORTED for a daemon older than {@link MIN_SUPPORTED_API_VERSION}.
*/
export function negotiateApiVersion(serverApiVersion: string, maxTested = MAX_TESTED_API_VERSION): string {
  if (!/^\d+\.\d+$/.test(serverApiVersion)) {
    throw new EngineError(
      'ENGINE_ERROR',
      `the engine reported an unreadable API version: ${serverApiVersion}`,
      {
        details: {serverApiVersion},
      },
    );
  }
  if (compareApiVersions(serverApiVersion, MIN_SUPPORTED_API_VERSION) < 0) {
    throw new EngineError(
      'UNSUPPORTED',
      `the engine speaks API ${serverApiVersion}; at least ${MIN_SUPPORTED_API_VERSION} (Docker 19.03) is needed`,
      {details: {serverApiVersion, minApiVersion: MIN_SUPPORTED_API_VERSION}},
    );
  }
  return compareApiVersions(serverApiVersion, maxTested) < 0 ? serverApiVersion : maxTested;
}
