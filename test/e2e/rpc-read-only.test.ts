/**
`bcs-executor rpc --read-only` refuses every mutating method of the table (the test walks the table, not a
hand-written list) with ReadOnlyMode (1007), and still serves the read-only ones.
*/
import test from 'ava';
import {isRpcError, RPC_ERROR} from '../../rpc/client/index.js';
import {allMethods} from '../../rpc/dispatch.js';
import {spawnClient} from '../support/rpc-client.js';

test('--read-only refuses every mutating method and serves the others', async (t) => {
  const client = await spawnClient({serverArgs: ['--read-only']});
  t.teardown(() => client.child?.kill());
  t.true(client.initialized?.capabilities.readOnly);
  const mutating = allMethods().filter((method) => !method.hints.readOnly);
  t.true(mutating.length >= 15, `${mutating.length} mutating methods`);
  for (const method of mutating) {
    const error = await t.throwsAsync(
      client.connection.sendRequest(method.name, {ref: 'anything', spec: {}}),
    );
    t.true(isRpcError(error, RPC_ERROR.ReadOnlyMode), `${method.name}: ${String(error)}`);
  }
  t.true(Array.isArray((await client.api.pod.list()).pods));
  t.true((await client.api.image.list()).images.length > 0);
  t.deepEqual(await client.api.system.ping(), {ok: true});
  t.is(await client.shutdown(), 0);
});
