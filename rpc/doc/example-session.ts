/** The example session in docs/protocol.md: what a client sends and what it gets, as NDJSON lines. */

export const EXAMPLE_SESSION: readonly {
  readonly from: 'client' | 'server';
  readonly message: unknown;
  readonly note?: string;
}[] = [
  {
    from: 'client',
    message: {jsonrpc: '2.0', id: 1, method: 'initialize', params: {clientInfo: {name: 'example'}}},
  },
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      id: 1,
      result: {
        serverInfo: {name: 'bcs-executor', version: '0.1.0'},
        protocolVersion: '1.0',
        capabilities: {
          framing: 'ndjson',
          batches: false,
          maxMessageBytes: 16777216,
          readOnly: false,
          allowPrivileged: false,
          allowBind: [],
          cancellation: true,
          progress: true,
          subscriptions: ['events', 'logs', 'stats'],
        },
        engine: {reachable: true, endpoint: 'unix:///var/run/docker.sock', apiVersion: '1.47'},
      },
    },
    note: 'engine.version (the daemon version) is left out here',
  },
  {from: 'client', message: {jsonrpc: '2.0', method: 'initialized', params: {}}},
  {from: 'client', message: {jsonrpc: '2.0', id: 2, method: 'events.subscribe', params: {}}},
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      id: 2,
      result: {
        subscriptionId: 'events-1',
        pods: [],
        connection: {connected: true, endpoint: 'unix:///var/run/docker.sock', apiVersion: '1.47'},
      },
    },
  },
  {
    from: 'client',
    message: {
      jsonrpc: '2.0',
      id: 3,
      method: 'pod.create',
      params: {
        spec: {
          name: 'web',
          containers: [
            {name: 'app', image: 'bcs-executor/demo:local', command: 'httpd', args: ['-f', '-p', '80']},
          ],
        },
        wait: 'running',
      },
    },
  },
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      method: 'pod/statusChanged',
      params: {
        subscriptionId: 'events-1',
        pod: {name: 'web', status: 'running', '...': '...'},
        previous: 'starting',
        at: '2025-01-01T00:00:01.000Z',
      },
    },
    note: 'after init and starting',
  },
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      id: 3,
      result: {changed: true, pod: {name: 'web', status: 'running', '...': '...'}},
    },
  },
  {
    from: 'client',
    message: {
      jsonrpc: '2.0',
      id: 4,
      method: 'container.exec',
      params: {ref: 'web/app', cmd: ['cat', '/etc/hostname']},
    },
  },
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      id: 4,
      result: {exitCode: 0, stdout: 'web\n', stderr: '', truncated: false, timedOut: false, durationMs: 41},
    },
  },
  {
    from: 'client',
    message: {jsonrpc: '2.0', id: 5, method: 'pod.wait', params: {ref: 'web', condition: 'exited'}},
  },
  {from: 'client', message: {jsonrpc: '2.0', method: '$/cancelRequest', params: {id: 5}}},
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      id: 5,
      error: {code: -32800, message: 'Request cancelled', data: {code: 'CANCELLED'}},
    },
  },
  {from: 'client', message: {jsonrpc: '2.0', id: 6, method: 'pod.remove', params: {ref: 'web', force: true}}},
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      method: 'pod/removed',
      params: {subscriptionId: 'events-1', name: 'web', id: '3f2a...', at: '2025-01-01T00:00:05.000Z'},
    },
  },
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      id: 6,
      result: {changed: true, name: 'web', removedContainers: ['9c1e...', '3f2a...']},
    },
  },
  {from: 'client', message: {jsonrpc: '2.0', id: 7, method: 'pod.inspect', params: {ref: 'web'}}},
  {
    from: 'server',
    message: {
      jsonrpc: '2.0',
      id: 7,
      error: {code: 1001, message: 'no pod "web"', data: {code: 'NOT_FOUND', resource: 'pod', ref: 'web'}},
    },
  },
  {from: 'client', message: {jsonrpc: '2.0', id: 8, method: 'shutdown'}},
  {from: 'server', message: {jsonrpc: '2.0', id: 8, result: null}},
  {from: 'client', message: {jsonrpc: '2.0', method: 'exit'}},
];
