import test from 'ava';
import {
  derivePodStatus,
  policyRestarts,
  type AppMemberState,
  type MemberState,
} from '../../src/pod/derive-status.js';
import type {RestartPolicy} from '../../src/engine/types.js';

const T0 = '2026-01-01T00:00:00Z';
const ZERO = '0001-01-01T00:00:00Z';

function running(extra: Partial<MemberState> = {}): MemberState {
  return {status: 'running', exitCode: 0, oomKilled: false, started: true, finishedAt: ZERO, ...extra};
}
function exited(code: number, extra: Partial<MemberState> = {}): MemberState {
  return {status: 'exited', exitCode: code, oomKilled: false, started: true, finishedAt: T0, ...extra};
}
function created(): MemberState {
  return {status: 'created', exitCode: 0, oomKilled: false, started: false, finishedAt: ZERO};
}
function missing(): MemberState {
  return {status: 'missing', exitCode: 0, oomKilled: false, started: false, finishedAt: ''};
}
function app(name: string, state: MemberState): AppMemberState {
  return {name, ...state};
}
function derive(infra: MemberState, apps: AppMemberState[], restartPolicy: RestartPolicy = 'Never') {
  return derivePodStatus({infra, apps, restartPolicy});
}

test('no container at all: unknown', (t) => {
  t.is(derive(missing(), []).status, 'unknown');
  t.is(derive(missing(), [app('a', missing())]).status, 'unknown');
});

test('infra missing while the pod has apps: failed "infra container missing"', (t) => {
  t.deepEqual(derive(missing(), [app('a', running())]), {
    status: 'failed',
    message: 'infra container missing',
  });
});

test('infra created, no app started: init "creating"', (t) => {
  t.deepEqual(derive(created(), [app('a', created())]), {status: 'init', message: 'creating'});
  t.deepEqual(derive(created(), []), {status: 'init', message: 'creating'});
});

test('infra running, some app never started: starting', (t) => {
  t.is(derive(running(), [app('a', running()), app('b', created())]).status, 'starting');
});

test('infra running, every app running: running', (t) => {
  t.deepEqual(derive(running(), [app('a', running()), app('b', running({status: 'paused'}))]), {
    status: 'running',
    message: 'running',
  });
});

test('running under OnFailure/Always counts restarting apps (and exited ones the policy brings back)', (t) => {
  const restarting = running({status: 'restarting'});
  t.is(derive(running(), [app('a', running()), app('b', restarting)], 'OnFailure').status, 'running');
  t.is(derive(running(), [app('a', running()), app('b', restarting)], 'Always').status, 'running');
  t.is(derive(running(), [app('a', running()), app('b', exited(1))], 'OnFailure').status, 'running');
  t.is(derive(running(), [app('a', running()), app('b', exited(0))], 'Always').status, 'running');
});

test('the health summary is in the running message', (t) => {
  const view = derive(running(), [app('a', running({healthy: true})), app('b', running({healthy: false}))]);
  t.deepEqual(view, {status: 'running', message: 'running, unhealthy: b'});
  t.is(derive(running(), [app('a', running({healthy: true}))]).message, 'running, all health checks pass');
  t.is(derive(running(), [app('a', running({healthy: null}))]).message, 'running');
});

test('infra running, every app exited 0: finish', (t) => {
  t.deepEqual(derive(running(), [app('a', exited(0)), app('b', exited(0))]), {
    status: 'finish',
    message: 'all containers exited with 0',
  });
});

test('Never: an app that exited fails the pod, exit 0 included while others run (seed case 38)', (t) => {
  t.deepEqual(derive(running(), [app('a', exited(3)), app('b', running())]), {
    status: 'failed',
    message: 'container a exited with 3',
  });
  t.is(derive(running(), [app('a', exited(0)), app('b', running())]).status, 'failed');
});

test('the failure named is the app that finished first; OOM is said', (t) => {
  const first = exited(137, {oomKilled: true, finishedAt: '2026-01-01T00:00:01Z'});
  const later = exited(143, {finishedAt: '2026-01-01T00:00:05Z'});
  t.deepEqual(derive(running(), [app('a', later), app('b', first)]), {
    status: 'failed',
    message: 'container b exited with 137 (OOM killed)',
  });
});

test('OnFailure: an app that exited 0 on its own has completed and the pod runs on; one stopped on purpose fails it', (t) => {
  t.deepEqual(derive(running(), [app('a', exited(0)), app('b', running())], 'OnFailure'), {
    status: 'running',
    message: 'running; completed: a',
  });
  t.is(
    derive(running(), [app('a', exited(0, {restartPolicy: 'no'})), app('b', running())], 'OnFailure').status,
    'failed',
  );
  t.is(derive(running(), [app('a', exited(0)), app('b', running())], 'Never').status, 'failed');
});

test('nothing the engine stopped on purpose, or dead, comes back', (t) => {
  const withdrawn = exited(143, {restartPolicy: 'no'});
  t.is(derive(running(), [app('a', withdrawn), app('b', running())], 'Always').status, 'failed');
  t.is(
    derive(running(), [app('a', exited(1, {status: 'dead'})), app('b', running())], 'Always').status,
    'failed',
  );
});

test('infra exited 137 (the deliberate stop) with no app running: killed "stopped"', (t) => {
  t.deepEqual(derive(exited(137), [app('a', exited(143)), app('b', exited(0))]), {
    status: 'killed',
    message: 'stopped',
  });
});

test('infra exited otherwise, or 137 while an app still runs: failed "infra container exited (code)"', (t) => {
  t.deepEqual(derive(exited(143), [app('a', exited(143))]), {
    status: 'failed',
    message: 'infra container exited (143)',
  });
  t.deepEqual(derive(exited(137), [app('a', running())]), {
    status: 'failed',
    message: 'infra container exited (137)',
  });
});

test('an app removed out of band fails the pod: "container x was removed"', (t) => {
  t.deepEqual(derive(running(), [app('a', running()), app('b', missing())]), {
    status: 'failed',
    message: 'container b was removed',
  });
});

test('policyRestarts: Always any exit, OnFailure non-zero, never dead or withdrawn', (t) => {
  t.true(policyRestarts('Always', exited(0)));
  t.false(policyRestarts('OnFailure', exited(0)));
  t.true(policyRestarts('OnFailure', exited(2)));
  t.false(policyRestarts('Never', exited(2)));
  t.false(policyRestarts('Always', exited(2, {restartPolicy: 'no'})));
  t.false(policyRestarts('Always', exited(2, {status: 'dead'})));
});
