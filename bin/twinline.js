#!/usr/bin/env node
// Twinline's command line; the TypeScript runs directly on a Node that strips types (22.18 or newer).
// The version check comes first and this file stays free of syntax an old Node cannot parse (no
// top-level await, no optional chaining), so an old Node prints what it needs instead of a stack trace.
import nodeVersion from '../scripts/check-node-version.cjs';

nodeVersion.exitUnlessSupportedNode();

// node:sqlite still announces itself as experimental on Node 22; that notice is noise to a user.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning && warning.message;
  if (typeof text === 'string' && text.startsWith('SQLite is an experimental feature')) return;
  return emitWarning.call(process, warning, ...rest);
};
// The command line reports its own errors; a module that cannot load at all surfaces as an unhandled rejection.
import('../src-main/node/cli.ts');
