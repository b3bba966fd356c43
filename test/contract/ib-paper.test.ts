// The broker contract suite against a real IB paper gateway: opt-in (paper/README.md), skipped
// otherwise with the reason printed once.
import { test } from 'node:test';
import { brokerContract } from './broker-contract.ts';
import { loadEnv } from '../../src/config/env.ts';
import { ibPaperHarness, paperGateway } from './ib-paper-harness.ts';

const flag = process.env['IRONVIX_PAPER_CONTRACT'];
// .env is read only for an opted-in run: a developer's .env must not change the default test run.
const gateway = paperGateway(
  flag,
  flag === '1' ? loadEnv().ib : { host: '', port: 0, clientId: 0, account: null },
);
if ('skip' in gateway)
  test('broker contract suite on a paper gateway', { skip: gateway.skip }, () => undefined);
else brokerContract(`ib paper gateway ${gateway.host}:${gateway.port}`, ibPaperHarness(gateway));
