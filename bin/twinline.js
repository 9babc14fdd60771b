#!/usr/bin/env node
// Twinline's command line; the TypeScript runs directly on Node ≥ 22.13, which strips types.
import '../src-main/node/cli.ts';
