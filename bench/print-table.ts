/** One column of a printed table; numeric columns are right-aligned. */
export interface Column {
  title: string;
  align?: 'left' | 'right';
}

/** Formats rows as a Markdown table with padded columns, so the output reads in a terminal and pastes into the README. */
export function formatTable(columns: Column[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = columns.map((column, index) => Math.max(column.title.length, 3, ...cells.map((row) => (row[index] ?? '').length)));
  const pad = (text: string, index: number) => {
    const width = widths[index]!;
    return columns[index]!.align === 'left' ? text.padEnd(width) : text.padStart(width);
  };
  const line = (parts: string[]) => `| ${parts.join(' | ')} |`;
  const header = line(columns.map((column, index) => pad(column.title, index)));
  // Markdown alignment markers keep numbers right-aligned once rendered.
  const rule = line(columns.map((column, index) => (column.align === 'left' ? ':'.padEnd(widths[index]!, '-') : ':'.padStart(widths[index]!, '-'))));
  return [header, rule, ...cells.map((row) => line(row.map((cell, index) => pad(cell ?? '', index))))].join('\n');
}

/** Prints a titled table followed by optional notes. */
export function printTable(title: string, columns: Column[], rows: Array<Array<string | number>>, notes: string[] = []): void {
  console.log(`\n### ${title}\n`);
  console.log(formatTable(columns, rows));
  if (notes.length > 0) console.log(`\n${notes.map((note) => `- ${note}`).join('\n')}`);
}

/** Integers with thousands separators; fractions to three significant decimals at most. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
