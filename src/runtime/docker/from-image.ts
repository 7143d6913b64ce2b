import type {ImageDetails, ImageSummary} from '../port.js';
import {field, keysOf, num, obj, str, strList, strMap} from './json.js';

/** Docker's placeholders for an untagged or undigested image. */
const NONE_TAG = '<none>:<none>';
const NONE_DIGEST = '<none>@<none>';

/** Maps one entry of `GET /images/json`. */
export function fromImageSummary(json: unknown): ImageSummary {
  return {
    id: str(json, 'Id'),
    repoTags: strList(json, 'RepoTags').filter((tag) => tag !== NONE_TAG),
    repoDigests: strList(json, 'RepoDigests').filter((digest) => digest !== NONE_DIGEST),
    created: num(json, 'Created'),
    size: num(json, 'Size'),
    labels: strMap(json, 'Labels'),
  };
}

/** Maps `GET /images/{ref}/json`; there `Created` is RFC 3339 and labels live under Config. */
export function fromImageInspect(json: unknown): ImageDetails {
  const config = obj(json, 'Config');
  return {
    id: str(json, 'Id'),
    repoTags: strList(json, 'RepoTags').filter((tag) => tag !== NONE_TAG),
    repoDigests: strList(json, 'RepoDigests').filter((digest) => digest !== NONE_DIGEST),
    created: toUnixSeconds(field(json, 'Created')),
    size: num(json, 'Size'),
    labels: strMap(config, 'Labels'),
    architecture: str(json, 'Architecture'),
    os: str(json, 'Os'),
    config: {
      env: strList(config, 'Env'),
      cmd: strList(config, 'Cmd'),
      entrypoint: strList(config, 'Entrypoint'),
      workingDir: str(config, 'WorkingDir'),
      user: str(config, 'User'),
      exposedPorts: keysOf(config, 'ExposedPorts'),
    },
  };
}

function toUnixSeconds(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}
