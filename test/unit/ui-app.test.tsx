import test from 'ava';
import {fakePod, FakeEngine} from '../support/fake-engine.js';
import {renderTui} from './ui-harness.js';

test('the first frame shows the header, the pods and the containers of the selected pod', async (t) => {
  const engine = new FakeEngine([fakePod('web', ['app', 'sidecar']), fakePod('db')]);
  const tui = await renderTui(engine);
  const frame = tui.frame();
  t.log(frame);
  t.regex(frame, /bcs-executor/);
  t.regex(frame, /connected/);
  t.regex(frame, /pods 2 \(2 running\)/);
  t.regex(frame, /db/);
  t.regex(frame, /CONTAINERS of db/);
  tui.unmount();
});
