// The journal contract against the memory journal.
import { createMemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import { journalContract } from './journal-contract.ts';

journalContract('memory', () => ({ open: () => createMemoryJournal('sim'), dispose: () => undefined }));
