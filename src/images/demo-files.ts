/** Files of the demo image besides busybox: a web page, a health endpoint, users, and a log writer. */
export interface DemoFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

const INDEX_HTML = `<!doctype html>
<html>
  <head><title>bcs-executor demo</title></head>
  <body>
    <h1>bcs-executor demo pod</h1>
    <p>Served by busybox httpd inside a pod whose network namespace belongs to its infra container.</p>
  </body>
</html>
`;

// Writes a numbered line to stdout every interval, and every fifth one to stderr, so log views have both streams.
const DEMO_LOGGER = `#!/bin/sh
interval="\${1:-1}"
i=0
while true; do
  i=$((i + 1))
  echo "demo-logger: tick $i at $(date -u +%H:%M:%S)"
  if [ $((i % 5)) -eq 0 ]; then echo "demo-logger: every fifth tick goes to stderr ($i)" >&2; fi
  sleep "$interval"
done
`;

export const DEMO_FILES: readonly DemoFile[] = [
  {path: 'www/index.html', content: INDEX_HTML, mode: 0o644},
  {path: 'www/healthz', content: 'ok\n', mode: 0o644},
  {
    path: 'etc/passwd',
    content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    mode: 0o644,
  },
  {path: 'etc/group', content: 'root:x:0:\nnogroup:x:65534:\n', mode: 0o644},
  {path: 'bin/demo-logger', content: DEMO_LOGGER, mode: 0o755},
];
