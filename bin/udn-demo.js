#!/usr/bin/env node
// Runs the TypeScript sources directly, so `npx udn-demo` in a clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
