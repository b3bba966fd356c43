// The paper run is opt-in and refuses anything but a paper account; the relay it cuts links with
// works against the simulator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paperGateway } from './ib-paper-harness.ts';
import { startTestSim } from '../support/sim-server.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { ibTestClient, waitUntil } from '../adapters/ib/support/ib-test-client.ts';

const ib = { host: '127.0.0.1', port: 4002, clientId: 9, account: 'DU1234567' as string | null };

test('the paper run is opt-in and needs an account', () => {
  const off = paperGateway(undefined, ib);
  assert.ok('skip' in off && /IRONVIX_PAPER_CONTRACT=1/.test(off.skip));
  const noAccount = paperGateway('1', { ...ib, account: null });
  assert.ok('skip' in noAccount && /IB_ACCOUNT is unset/.test(noAccount.skip));
  assert.deepEqual(paperGateway('1', ib), {
    host: '127.0.0.1',
    port: 4002,
    clientId: 9,
    account: 'DU1234567',
  });
});

test('the paper run refuses a live account', () => {
  assert.throws(() => paperGateway('1', { ...ib, account: 'U1234567' }), /not a paper account/);
});

test('a link cut at the relay is lost and restored by the adapter', async () => {
  const t = await startTestSim({ limits: 'lifted' });
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: t.port });
  const c = ibTestClient(proxy.port);
  try {
    assert.ok((await c.broker.connect()).ok);
    assert.equal(proxy.dropAll(), 1);
    await waitUntil(
      () => c.events.some((e) => e.type === 'connectivity' && e.state === 'restored'),
      'reconnection',
    );
    assert.ok((await c.broker.serverTimeMs()).ok);
  } finally {
    await c.close();
    await proxy.close();
    await t.close();
  }
});
