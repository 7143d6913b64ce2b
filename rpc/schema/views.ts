/**
The engine's views as zod schemas, typed against the engine's own interfaces (`z.ZodType<PodView>`), so a
change in a view that the schema does not follow fails to compile. They document results in rpc.discover and
docs/protocol.md; results are not re-validated at run time.
*/
import {z} from 'zod';
import {
  POD_STATUSES,
  type ConnectionState,
  type ContainerView,
  type HealthView,
  type LogLine,
  type LogsResult,
  type PodStatsView,
  type PodView,
  type ProbeRecord,
  type PublishedPort,
  type StatsView,
} from '../../src/index.js';

export const CONTAINER_STATUSES = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
  'missing',
] as const;

export const podStatus = z
  .enum(POD_STATUSES as [string, ...string[]])
  .describe('unknown, init, starting, running, failed, killing, killed or finish') as z.ZodType<
  PodView['status']
>;

const rfc3339 = z.string().describe('RFC 3339');

const probeRecord: z.ZodType<ProbeRecord> = z
  .object({
    at: rfc3339,
    ok: z.boolean(),
    output: z.string(),
    durationMs: z.number(),
  })
  .meta({id: 'ProbeRecord'});

export const healthView: z.ZodType<HealthView> = z
  .object({
    type: z.enum(['http', 'tcp', 'command']),
    status: z.enum(['starting', 'healthy', 'unhealthy']),
    consecutiveFailures: z.int(),
    totalFailures: z.int(),
    totalChecks: z.int(),
    history: z.array(probeRecord).describe('most recent last'),
  })
  .meta({id: 'HealthView'});

export const containerView: z.ZodType<ContainerView> = z
  .object({
    name: z.string().describe("the container's name in the pod spec (infra for the infra container)"),
    pod: z.string(),
    role: z.enum(['infra', 'app']),
    id: z.string().describe("Docker id; '' when not created"),
    dockerName: z.string(),
    image: z.string(),
    status: z.enum(CONTAINER_STATUSES).describe("Docker's status, or missing"),
    healthy: z.boolean().nullable().describe('null without a health check'),
    health: healthView.nullable(),
    dockerHealth: z.enum(['none', 'starting', 'healthy', 'unhealthy']).nullable(),
    exitCode: z.int().nullable(),
    oomKilled: z.boolean(),
    restartCount: z.int(),
    startedAt: rfc3339.nullable(),
    finishedAt: rfc3339.nullable(),
    pid: z.int(),
    message: z.string(),
  })
  .meta({id: 'ContainerView'});

export const publishedPort: z.ZodType<PublishedPort> = z
  .object({
    containerPort: z.int(),
    protocol: z.string(),
    hostIp: z.string(),
    hostPort: z.int(),
  })
  .meta({id: 'PublishedPort'});

export const podView: z.ZodType<PodView> = z
  .object({
    name: z.string(),
    id: z.string().describe("the infra container's id; '' before it exists"),
    status: podStatus,
    message: z.string(),
    ip: z.string(),
    network: z.object({driver: z.enum(['docker', 'cni']), name: z.string()}),
    hostname: z.string(),
    ports: z.array(publishedPort),
    restartPolicy: z.enum(['Never', 'OnFailure', 'Always']),
    createdAt: rfc3339,
    healthy: z.boolean().nullable(),
    labels: z.record(z.string(), z.string()),
    specHash: z.string(),
    infra: containerView,
    containers: z.array(containerView).describe('app containers in spec order'),
  })
  .meta({id: 'PodView'});

export const connectionState: z.ZodType<ConnectionState> = z
  .object({
    connected: z.boolean(),
    endpoint: z.string(),
    apiVersion: z.string(),
    error: z.string().exactOptional().describe('present while disconnected'),
  })
  .meta({id: 'ConnectionState'});

export const logLine: z.ZodType<LogLine> = z
  .object({
    container: z.string().describe('the container name in the pod spec'),
    containerId: z.string(),
    stream: z.enum(['stdout', 'stderr']),
    ts: z.string().describe('RFC 3339 with nanoseconds'),
    text: z.string(),
  })
  .meta({id: 'LogLine'});

export const logsResult: z.ZodType<LogsResult> = z
  .object({
    lines: z.array(logLine),
    truncated: z.boolean().describe('lines were left out to keep under maxBytes'),
    totalLines: z.int().describe('lines that matched before the cap'),
  })
  .meta({id: 'LogsResult'});

export const statsView: z.ZodType<StatsView> = z
  .object({
    container: z.string(),
    containerId: z.string(),
    pod: z.string(),
    at: rfc3339,
    cpuPercent: z.number().describe('of one core x cores, as docker stats shows it'),
    memoryBytes: z.number(),
    memoryLimitBytes: z.number(),
    memoryPercent: z.number(),
    networkRxBytes: z.number(),
    networkTxBytes: z.number(),
    blockReadBytes: z.number(),
    blockWriteBytes: z.number(),
    pids: z.int(),
  })
  .meta({id: 'StatsView'});

export const podStatsView: z.ZodType<PodStatsView> = z
  .object({
    pod: z.string(),
    at: rfc3339,
    cpuPercent: z.number(),
    memoryBytes: z.number(),
    networkRxBytes: z.number().describe('from the infra container (members share its network namespace)'),
    networkTxBytes: z.number(),
    containers: z.array(statsView),
  })
  .meta({id: 'PodStatsView'});
