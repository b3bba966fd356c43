// The broker contract suite against the IB adapter over TCP to the simulator, at both server
// versions the adapter meets.
import { brokerContract } from './broker-contract.ts';
import { ibSimHarness } from './ib-sim-harness.ts';

brokerContract('ib adapter over TCP to the simulator (server version 178)', ibSimHarness(178));
// What a current real gateway negotiates with @stoqey/ib 1.6.10 (docs/ib-notes.md §1 "Versions").
brokerContract('ib adapter over TCP to the simulator (server version 193)', ibSimHarness(193));
