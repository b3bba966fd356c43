// Child process for the lock and crash tests: opens the journal of argv[2] (mode paper), journals
// the sample plan and one order intent (both fsynced before append returns), says "ready", then
// waits to be killed.
import { openSqliteJournal } from '../../../src/adapters/sqlite/sqlite-journal.ts';
import { intentFor, samplePlan } from '../../support/journal-fixtures.ts';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: hold-journal.ts <dataDir>');
const j = openSqliteJournal({ dataDir, mode: 'paper', nowMs: 1 });
const plan = samplePlan();
j.append({ type: 'plan-started', plan, atMs: 2 });
j.append({ type: 'order-intended', intent: intentFor(plan, 'condor', 41), atMs: 3 });
process.stdout.write('ready\n');
setInterval(() => undefined, 60_000);
