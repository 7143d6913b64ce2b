/**
Schemas of the Docker-shaped results (version, info, images, top, exec, inspect). Inspect results are large
and follow Docker; they are documented as objects with a description rather than field by field.
*/
import {z} from 'zod';
import type {
  BcsInfoJson,
  ContainerDetails,
  ExecResult,
  ImageDetails,
  ImageSummary,
  RuntimeInfo,
  RuntimeVersion,
  TopResult,
} from '../../src/index.js';

/** A result documented by description only (Docker's own shapes, in our words). */
export function opaque<T>(id: string, description: string): z.ZodType<T> {
  return z
    .custom<T>((value) => typeof value === 'object' && value !== null)
    .meta({id, type: 'object', description});
}

export const runtimeVersion: z.ZodType<RuntimeVersion> = z
  .object({
    apiVersion: z.string().describe('the API version this server speaks (negotiated)'),
    serverApiVersion: z.string(),
    minApiVersion: z.string(),
    serverVersion: z.string(),
    os: z.string(),
    arch: z.string(),
    flavor: z.enum(['docker', 'podman']),
  })
  .meta({id: 'RuntimeVersion'});

export const runtimeInfo: z.ZodType<RuntimeInfo> = z
  .object({
    name: z.string(),
    serverVersion: z.string(),
    containers: z.int(),
    containersRunning: z.int(),
    images: z.int(),
    driver: z.string(),
    cgroupVersion: z.string(),
    cgroupDriver: z.string(),
    ncpu: z.int(),
    memTotal: z.number(),
    kernelVersion: z.string(),
    operatingSystem: z.string(),
  })
  .meta({id: 'RuntimeInfo'});

export const imageSummary: z.ZodType<ImageSummary> = z
  .object({
    id: z.string(),
    repoTags: z.array(z.string()),
    repoDigests: z.array(z.string()),
    created: z.number().describe('Unix seconds'),
    size: z.number(),
    labels: z.record(z.string(), z.string()),
  })
  .meta({id: 'ImageSummary'});

export const imageDetails: z.ZodType<ImageDetails> = z
  .object({
    id: z.string(),
    repoTags: z.array(z.string()),
    repoDigests: z.array(z.string()),
    created: z.number(),
    size: z.number(),
    labels: z.record(z.string(), z.string()),
    architecture: z.string(),
    os: z.string(),
    config: z.object({
      env: z.array(z.string()),
      cmd: z.array(z.string()),
      entrypoint: z.array(z.string()),
      workingDir: z.string(),
      user: z.string(),
      exposedPorts: z.array(z.string()),
    }),
  })
  .meta({id: 'ImageDetails'});

export const topResult: z.ZodType<TopResult> = z
  .object({
    titles: z.array(z.string()),
    processes: z.array(z.array(z.string())),
  })
  .meta({id: 'TopResult'});

const execResultShape = {
  exitCode: z.int(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean().describe('output went over maxOutputBytes and was cut'),
  timedOut: z.boolean().describe('timeoutMs ran out and the process was killed'),
  durationMs: z.number(),
};

export const execResult: z.ZodType<ExecResult> = z.object(execResultShape);

/** container.exec's result: the engine's, plus byte totals on the mcp face (where output is capped lower). */
export const execCallResult = z.object({
  ...execResultShape,
  stdoutBytes: z.int().exactOptional().describe('bytes the command wrote to stdout, up to 1 MiB (mcp face)'),
  stderrBytes: z.int().exactOptional().describe('bytes the command wrote to stderr, up to 1 MiB (mcp face)'),
});

export const containerDetails = opaque<ContainerDetails>(
  'ContainerDetails',
  "Docker's inspect in our words: id, name, image, state, config (env with secret values masked), host, network",
);

export const bcsInfo = opaque<BcsInfoJson>(
  'BcsContainerInfo',
  "the seed's BcsContainerInfo JSON (PascalCase keys, Go's omitempty), for BCS consumers",
);
