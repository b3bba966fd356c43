#!/usr/bin/env node
// Launcher: registers tsx's loader in this process and runs the TypeScript CLI (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main();
