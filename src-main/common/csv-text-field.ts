/**
 * Text a spreadsheet would run as a formula (OWASP "CSV injection"): a field that begins with = + - @,
 * a tab or a carriage return. A leading single quote is the escape itself, so it is escaped too, and
 * every text field reads back exactly as it was.
 */
const formulaStart = /^[=+\-@\t\r']/;

/** Quotes a field when RFC 4180 requires it: it holds a comma, a double quote, CR or LF. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A text field as every CSV export writes it: one that a spreadsheet would take for a formula gets a
 * single quote in front and is quoted, as OWASP recommends; any other is quoted only when RFC 4180
 * requires it. Numbers never pass through here, so -3.5 stays a number.
 */
export function csvTextField(text: string): string {
  return formulaStart.test(text) ? `"'${text.replaceAll('"', '""')}"` : csvField(text);
}
