/**
The demo pod `bcs-executor demo` (and the TUI's demo key) starts: three containers from the local images only.
The text is examples/demo.yaml, embedded so the bundled binary needs no file next to it; a unit test keeps the two
identical.
*/
import {parsePodSpec} from './spec/parse.js';
import type {PodSpec} from './spec-types.js';

export const DEMO_POD_YAML = `# The pod \`bcs-executor demo\` starts: three containers in one network namespace, from local images only
# (\`npm run setup\` builds bcs-executor/demo:local; nothing is pulled).
#
#   web     busybox httpd serving /www, published on http://127.0.0.1:8080, health-checked on /healthz
#   logger  demo-logger: a line per second on stdout, every fifth one on stderr
#   client  asks web for /healthz over 127.0.0.1 every 5 s: it works because the pod shares one network namespace
name: demo
network: {driver: docker, name: bridge}
hostname: demo
ports:
  - {name: http, containerPort: 80, hostPort: 8080, protocol: tcp, hostIP: 127.0.0.1}
restartPolicy: Never
# busybox sh and httpd run as PID 1 and ignore SIGTERM: a short grace keeps \`stop\` quick.
killPolicy: {graceSeconds: 2}
labels: {app: bcs-executor-demo}
containers:
  - name: web
    image: bcs-executor/demo:local
    command: httpd
    args: [-f, -v, -p, '80', -h, /www]
    resources: {cpus: 0.25, memMB: 16}
    limits: {cpus: 0.5, memMB: 32}
    healthCheck:
      type: http
      port: 80
      path: /healthz
      intervalSeconds: 5
      timeoutSeconds: 2
      gracePeriodSeconds: 1
      consecutiveFailures: 3
  - name: logger
    image: bcs-executor/demo:local
    command: demo-logger
    args: ['1']
    limits: {memMB: 16}
  - name: client
    image: bcs-executor/demo:local
    command: sh
    args:
      - -c
      - |
        while true; do
          # busybox's own wget -T crashes in its static build; timeout bounds a hung request instead.
          if body=$(timeout 3 wget -q -O- http://127.0.0.1/healthz); then
            echo "client: web answered '$body' on 127.0.0.1:80 (shared network namespace)"
          else
            echo "client: web did not answer on 127.0.0.1:80" >&2
          fi
          sleep 5
        done
    limits: {memMB: 16}
`;

/** The demo pod's spec, parsed and validated. */
export function demoPodSpec(): PodSpec {
  return parsePodSpec(DEMO_POD_YAML, 'yaml');
}
