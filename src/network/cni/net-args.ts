/** CNI_ARGS: the seed's GetNetArgs, and the `K=V;K=V` encoding of the CNI spec. */
import {EngineError} from '../../errors.js';

/** One CNI_ARGS entry, `[key, value]`. */
export type CniArg = readonly [key: string, value: string];

/** What the pod contributes to CNI_ARGS. */
export interface NetArgsInput {
  /** The seed's netLimit.egressLimit, in Mbps; 0 or absent means no limit. */
  readonly egressMbps?: number | undefined;
  /** A specific IP requested for the pod (the seed's injected NetworkIPAddr). */
  readonly ip?: string | undefined;
}

/**
The seed's GetNetArgs plus its injected IP: `CTNR_NET_EGRESS_RATE=<Mbps*1024>` when a limit is set (the seed's
Kbps arg, kept for custom plugins that read it), then always `IgnoreUnknown=1` so plugins that do not know an
arg (host-local does not know CTNR_NET_EGRESS_RATE) accept it, then `IP=<ip>` when one is requested. The seed
sent `IgnoreUnknown=true`; libcni's boolean accepts `1` and `true` alike. The real egress limit goes through
the bandwidth plugin's runtimeConfig, not this arg.
*/
export function netArgs(input: NetArgsInput = {}): CniArg[] {
  const args: CniArg[] = [];
  const mbps = input.egressMbps ?? 0;
  if (Number.isFinite(mbps) && mbps > 0) args.push(['CTNR_NET_EGRESS_RATE', String(Math.round(mbps * 1024))]);
  args.push(['IgnoreUnknown', '1']);
  if (input.ip !== undefined && input.ip !== '') args.push(['IP', input.ip]);
  return args;
}

/** Encodes CNI_ARGS as `K=V;K=V`. A key with `=` or `;`, or a value with `;`, cannot be encoded: VALIDATION. */
export function formatCniArgs(args: readonly CniArg[]): string {
  const bad = args.filter(([key, value]) => key === '' || /[=;]/.test(key) || value.includes(';'));
  if (bad.length > 0) {
    throw new EngineError(
      'VALIDATION',
      `CNI_ARGS cannot encode ${bad.map(([key]) => JSON.stringify(key)).join(', ')}`,
      {
        details: {
          resource: 'cni-args',
          issues: bad.map(([key]) => ({path: key, message: 'contains = or ;'})),
        },
      },
    );
  }
  return args.map(([key, value]) => `${key}=${value}`).join(';');
}
