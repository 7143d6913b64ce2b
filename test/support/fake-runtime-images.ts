/**
The fake runtime's images: references resolved the way Docker resolves them (familiar names, default tag
`latest`, ids and id prefixes, digests), a fake registry for pulls and pushes, and a Dockerfile reader for
builds (FROM, COPY, ENV, CMD, ENTRYPOINT, WORKDIR, LABEL, EXPOSE, USER; RUN is accepted and not run).
*/
import type {Readable} from 'node:stream';
import type {ImageDetails, ImageSummary, RegistryAuth} from '../../src/runtime/port.js';
import {FakeFs} from './fake-runtime-fs.js';
import {engineError, hexId} from './fake-runtime-util.js';

export interface FakeImageConfig {
  readonly cmd?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly env?: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  readonly exposedPorts?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface FakeImage {
  readonly id: string;
  repoTags: string[];
  repoDigests: string[];
  readonly created: number;
  readonly size: number;
  readonly config: Required<FakeImageConfig>;
  readonly fs: FakeFs;
}

/** An image the fake registry can serve. */
export interface RegistryEntry {
  readonly config: FakeImageConfig;
  /** Credentials the registry insists on. */
  readonly auth?: {readonly username: string; readonly password: string};
  /** The registry sends nothing for this long (to exercise inactivity timeouts). */
  readonly stallMs?: number;
}

/** `docker.io/library/busybox:latest` form of a reference (digest kept). */
export function normalizeRef(ref: string): string {
  const at = ref.indexOf('@');
  let name = at >= 0 ? ref.slice(0, at) : ref;
  const digest = at >= 0 ? ref.slice(at) : '';
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = slash >= 0 ? `docker.io/${name}` : `docker.io/library/${name}`;
  const lastSlash = name.lastIndexOf('/');
  if (digest === '' && !name.slice(lastSlash + 1).includes(':')) name = `${name}:latest`;
  return `${name}${digest}`;
}

/** The short form Docker shows in RepoTags (`busybox:latest`, `bcs-executor/demo:local`). */
export function familiarRef(ref: string): string {
  return normalizeRef(ref)
    .replace(/^docker\.io\/library\//, '')
    .replace(/^docker\.io\//, '');
}

export class FakeImageStore {
  readonly #images = new Map<string, FakeImage>();
  readonly #registry = new Map<string, RegistryEntry>();
  readonly #now: () => number;
  #sequence = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  /**
  Adds an image (tagged `ref`, or dangling when undefined) with the given tree, or a busybox-like one (`/bin`,
  a sticky `/tmp`).
  */
  add(ref: string | undefined, config: FakeImageConfig = {}, fs?: FakeFs): FakeImage {
    const created = new Date(this.#now());
    const tree = fs ?? defaultTree(created);
    const image: FakeImage = {
      id: `sha256:${hexId(`fake-image-${this.#sequence++}-${ref ?? ''}`)}`,
      repoTags: [],
      repoDigests: [],
      created: Math.floor(created.getTime() / 1000),
      size: 1_966_080,
      config: {
        cmd: config.cmd ?? ['sh'],
        entrypoint: config.entrypoint ?? [],
        env: config.env ?? ['PATH=/bin'],
        workingDir: config.workingDir ?? '',
        user: config.user ?? '',
        exposedPorts: config.exposedPorts ?? [],
        labels: config.labels ?? {},
      },
      fs: tree,
    };
    this.#images.set(image.id, image);
    if (ref !== undefined) this.tag(image, ref);
    return image;
  }

  /** Points `ref` at `image`, taking the tag from any other image (which then keeps its other tags). */
  tag(image: FakeImage, ref: string): void {
    const familiar = familiarRef(ref);
    for (const other of this.#images.values()) {
      other.repoTags = other.repoTags.filter((tag) => tag !== familiar);
    }
    image.repoTags.push(familiar);
  }

  /** Exact resolution: id, unique id prefix, tag (normalized) or digest; undefined when absent. */
  resolve(ref: string): FakeImage | undefined {
    const byId = this.#images.get(ref) ?? this.#images.get(`sha256:${ref}`);
    if (byId !== undefined) return byId;
    const normalized = normalizeRef(ref);
    for (const image of this.#images.values()) {
      if (image.repoTags.some((tag) => normalizeRef(tag) === normalized)) return image;
      if (image.repoDigests.some((digest) => normalizeRef(digest) === normalized)) return image;
    }
    const hex = ref.replace(/^sha256:/, '');
    if (/^[0-9a-f]{4,64}$/.test(hex)) {
      const matches = [...this.#images.values()].filter((image) => image.id.slice(7).startsWith(hex));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  list(): FakeImage[] {
    return [...this.#images.values()];
  }

  /** Docker's `reference` filter: with a tag, that tag; without, every tag of the repository. */
  matchesReference(image: FakeImage, reference: string): boolean {
    const hasTag = reference.includes('@') || reference.slice(reference.lastIndexOf('/') + 1).includes(':');
    return image.repoTags.some((tag) => {
      if (hasTag) return normalizeRef(tag) === normalizeRef(reference);
      return normalizeRef(tag).replace(/:[^:/]+$/, '') === normalizeRef(reference).replace(/:latest$/, '');
    });
  }

  delete(image: FakeImage): void {
    this.#images.delete(image.id);
  }

  /** Makes `ref` pullable from the fake registry. */
  addToRegistry(ref: string, entry: RegistryEntry = {config: {}}): void {
    this.#registry.set(normalizeRef(ref), entry);
  }

  registryEntry(ref: string): RegistryEntry | undefined {
    return this.#registry.get(normalizeRef(ref));
  }

  /** Why a pull of `ref` fails, or undefined when it would succeed. */
  pullRefusal(ref: string, auth: RegistryAuth | undefined): string | undefined {
    const normalized = normalizeRef(ref);
    const registry = normalized.slice(0, normalized.indexOf('/'));
    const entry = this.#registry.get(normalized);
    if (entry === undefined) {
      return `Get "https://${registry}/v2/": the fake registry has no ${familiarRef(ref)}`;
    }
    if (entry.auth !== undefined) {
      const server = auth?.serveraddress.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
      const sameRegistry = server === registry || (registry === 'docker.io' && server === 'index.docker.io');
      if (!sameRegistry || auth?.username !== entry.auth.username || auth.password !== entry.auth.password) {
        return `unauthorized: authentication required for ${familiarRef(ref)}`;
      }
    }
    return undefined;
  }

  /** Builds an image from a tar context with a Dockerfile. */
  async build(
    context: Buffer | Readable,
    tag: string,
    labels: Readonly<Record<string, string>>,
  ): Promise<FakeImage> {
    const now = new Date(this.#now());
    const ctx = await FakeFs.fromTar(context, now);
    const dockerfile = ctx.read('/Dockerfile');
    if (dockerfile === undefined) throw engineError(500, 'Cannot locate specified Dockerfile: Dockerfile');
    let fs: FakeFs | undefined;
    let config: {-readonly [K in keyof FakeImageConfig]: FakeImageConfig[K]} = {};
    const env: string[] = [];
    const imageLabels: Record<string, string> = {};
    const exposed: string[] = [];
    for (const raw of joinContinuations(dockerfile.toString('utf8'))) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const [instruction = '', ...rest] = line.split(/\s+/);
      const args = line.slice(instruction.length).trim();
      switch (instruction.toUpperCase()) {
        case 'FROM': {
          const base = rest[0] ?? '';
          if (base === 'scratch') {
            fs = new FakeFs(now);
            break;
          }
          const image = this.resolve(base);
          if (image === undefined)
            throw engineError(500, `pull access denied for ${base}: the fake has no registry`);
          fs = image.fs.clone();
          config = {...image.config};
          env.push(...image.config.env);
          break;
        }
        case 'COPY':
        case 'ADD': {
          const parts = rest.filter((part) => !part.startsWith('--'));
          const dest = parts.pop() ?? '/';
          for (const from of parts) {
            if (!(fs ?? new FakeFs(now)).copyFrom(ctx, from, dest)) {
              throw engineError(500, `COPY failed: file not found in build context: ${from}`);
            }
          }
          break;
        }
        case 'ENV': {
          const pairs = args.includes('=')
            ? args.split(/\s+/)
            : [`${rest[0] ?? ''}=${rest.slice(1).join(' ')}`];
          for (const pair of pairs) {
            const key = pair.slice(0, pair.indexOf('='));
            const index = env.findIndex((entry) => entry.startsWith(`${key}=`));
            if (index >= 0) env.splice(index, 1);
            env.push(pair.replace(/"/g, ''));
          }
          break;
        }
        case 'CMD':
          config.cmd = execForm(args);
          break;
        case 'ENTRYPOINT':
          config.entrypoint = execForm(args);
          break;
        case 'WORKDIR':
          config.workingDir = args;
          break;
        case 'USER':
          config.user = args;
          break;
        case 'EXPOSE':
          exposed.push(...rest.map((port) => (port.includes('/') ? port : `${port}/tcp`)));
          break;
        case 'LABEL':
          for (const pair of args.split(/\s+/)) {
            const eq = pair.indexOf('=');
            if (eq > 0) imageLabels[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/"/g, '');
          }
          break;
        default:
          break; // RUN, SHELL, STOPSIGNAL...: accepted, nothing to run in memory
      }
    }
    if (fs === undefined) throw engineError(500, 'Dockerfile parse error: no FROM instruction');
    return this.add(tag, {...config, env, exposedPorts: exposed, labels: {...imageLabels, ...labels}}, fs);
  }
}

function defaultTree(now: Date): FakeFs {
  const fs = new FakeFs(now);
  fs.set('/bin', {type: 'dir', mode: 0o755, mtime: now});
  fs.set('/tmp', {type: 'dir', mode: 0o1777, mtime: now});
  return fs;
}

function execForm(args: string): string[] {
  if (args.startsWith('[')) {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed)) return parsed.map(String);
  }
  return ['/bin/sh', '-c', args];
}

function joinContinuations(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}

export function toImageSummary(image: FakeImage): ImageSummary {
  return {
    id: image.id,
    repoTags: [...image.repoTags],
    repoDigests: [...image.repoDigests],
    created: image.created,
    size: image.size,
    labels: {...image.config.labels},
  };
}

export function toImageDetails(image: FakeImage): ImageDetails {
  return {
    ...toImageSummary(image),
    architecture: 'amd64',
    os: 'linux',
    config: {
      env: [...image.config.env],
      cmd: [...image.config.cmd],
      entrypoint: [...image.config.entrypoint],
      workingDir: image.config.workingDir,
      user: image.config.user,
      exposedPorts: [...image.config.exposedPorts],
    },
  };
}
