#!/usr/bin/env node
// The `guang` command. The sources are TypeScript run through tsx, so a checkout works with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
