// The broker contract suite against the IB adapter over TCP to the simulator.
import { brokerContract } from './broker-contract.ts';
import { ibSimHarness } from './ib-sim-harness.ts';

brokerContract('ib adapter over TCP to the simulator', ibSimHarness);
