#!/usr/bin/env node
// Twinline's command line; the TypeScript runs directly on Node ≥ 22.13, which strips types.
// node:sqlite still announces itself as experimental on Node 22; that notice is noise to a user.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning?.message;
  if (typeof text === 'string' && text.startsWith('SQLite is an experimental feature')) return;
  return emitWarning.call(process, warning, ...rest);
};
await import('../src-main/node/cli.ts');
