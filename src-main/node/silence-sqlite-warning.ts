// Imported for its effect too, first among a worker's imports: node:sqlite warns as it loads.
silenceSqliteWarning();

/**
 * Drops Node's "SQLite is an experimental feature" warning: node:sqlite announces itself on Node 22,
 * and that notice is noise to a user. Every other warning passes through.
 */
export function silenceSqliteWarning(): void {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (typeof text === 'string' && text.startsWith('SQLite is an experimental feature')) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
}
