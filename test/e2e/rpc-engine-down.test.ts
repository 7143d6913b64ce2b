/**
With no container engine at the endpoint, `initialize` still answers at once (reachable: false) and engine
methods answer EngineUnavailable (1004) with structured data, never InternalError.
*/
import test from 'ava';
import {isRpcError, RPC_ERROR} from '../../rpc/client/index.js';
import {spawnClient} from '../support/rpc-client.js';

test('an unreachable engine: initialize says so, engine methods answer 1004', async (t) => {
  const started = Date.now();
  const client = await spawnClient({serverArgs: ['--host', 'unix:///nonexistent/bcs-executor-test.sock']});
  t.teardown(() => client.child?.kill());
  t.true(Date.now() - started < 10_000);
  t.like(client.initialized?.engine, {
    reachable: false,
    endpoint: 'unix:///nonexistent/bcs-executor-test.sock',
    apiVersion: null,
  });
  t.deepEqual(await client.api.system.ping(), {ok: true});
  for (const call of [
    () => client.api.pod.list(),
    () => client.api.system.ping({engine: true}),
    () => client.api.container.logs({ref: 'x/y'}),
  ]) {
    const error = await t.throwsAsync(call());
    if (!isRpcError(error, RPC_ERROR.EngineUnavailable)) {
      t.fail(String(error));
      continue;
    }
    t.like(error.data, {
      code: 'ENGINE_UNAVAILABLE',
      endpoint: 'unix:///nonexistent/bcs-executor-test.sock',
    });
  }
  t.is(await client.shutdown(), 0);
});
