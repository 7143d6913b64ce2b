/**
The stable JSON shape of a pod for the headless commands (`ps --json`, `inspect --json`, `apply --json`).
Scripts depend on it: add fields, never rename or remove them.
*/
import type {ContainerView, PodView} from '../../src/index.js';

export interface ContainerJson {
  readonly name: string;
  readonly id: string;
  readonly image: string;
  readonly status: string;
  readonly healthy: boolean | null;
  readonly exitCode: number | null;
  readonly oomKilled: boolean;
  readonly restartCount: number;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly message: string;
}

export interface PodJson {
  readonly name: string;
  readonly id: string;
  readonly status: string;
  readonly message: string;
  readonly ip: string;
  readonly healthy: boolean | null;
  readonly network: {readonly driver: string; readonly name: string};
  readonly hostname: string;
  readonly ports: readonly {
    readonly containerPort: number;
    readonly protocol: string;
    readonly hostIp: string;
    readonly hostPort: number;
  }[];
  readonly restartPolicy: string;
  readonly createdAt: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly infra: ContainerJson;
  readonly containers: readonly ContainerJson[];
}

export function containerJson(view: ContainerView): ContainerJson {
  return {
    name: view.name,
    id: view.id,
    image: view.image,
    status: view.status,
    healthy: view.healthy,
    exitCode: view.exitCode,
    oomKilled: view.oomKilled,
    restartCount: view.restartCount,
    startedAt: view.startedAt,
    finishedAt: view.finishedAt,
    message: view.message,
  };
}

export function podJson(view: PodView): PodJson {
  return {
    name: view.name,
    id: view.id,
    status: view.status,
    message: view.message,
    ip: view.ip,
    healthy: view.healthy,
    network: {driver: view.network.driver, name: view.network.name},
    hostname: view.hostname,
    ports: view.ports.map((p) => ({
      containerPort: p.containerPort,
      protocol: p.protocol,
      hostIp: p.hostIp,
      hostPort: p.hostPort,
    })),
    restartPolicy: view.restartPolicy,
    createdAt: view.createdAt,
    labels: {...view.labels},
    infra: containerJson(view.infra),
    containers: view.containers.map(containerJson),
  };
}

export function printJson(out: NodeJS.WritableStream, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}
