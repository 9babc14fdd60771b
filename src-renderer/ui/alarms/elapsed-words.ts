/**
 * How long ago something happened, as an alarm list says it: "12 s", "4 min", "2 h 5 min", "3 d 4 h".
 * Whole units, rounded down, so "4 min" never shows before four minutes have passed; a moment in the
 * future (a clock a little ahead) reads "0 s".
 */
export function elapsedWords(since: number, now: number): string {
  const seconds = Math.floor(Math.max(0, now - since) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}
