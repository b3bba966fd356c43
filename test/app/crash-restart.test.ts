// The in-process crash/disconnect sweep, 'crash' variant (test/support/crash-sweep.ts): the link drops
// right after every message k the bot sends during a full plan; the bot dies with its link, a new bot (new IB client, same journal) reconciles and finishes. Every k: nothing
// placed twice, coverage at every venue event, the journal equal to the broker's reports.
import { defineSweep } from '../support/crash-sweep.ts';

await defineSweep(
  'crash',
  'the bot dies with its link, a new bot (new IB client, same journal) reconciles and finishes',
);
