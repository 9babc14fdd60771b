import type { Plant } from '../../common/plant-schema.ts';
import { signalOrder } from '../../common/signal-order.ts';
import { csvTextField } from './export-csv.ts';
import type { RecordedAlarmEvent } from './recorded-alarms.ts';

/** The journal's columns, in order. */
export const alarmJournalHeader = 'time,event,machine,signal,limit,priority,state,operator,reason,message';

/** How the journal names each recorded event, in words an incident report uses. */
const eventWords: Readonly<Record<string, string>> = {
  raise: 'raise',
  clear: 'return to normal',
  acknowledge: 'acknowledge',
  shelve: 'shelve',
  unshelve: 'unshelve',
  shelveExpiry: 'shelf expired',
  suppress: 'out of service',
  returnToService: 'return to service',
  restored: 'restored after a host restart',
};

/** A recording's alarm events between two times, as the journal reads them. */
export interface AlarmJournalSource {
  plant: Plant;
  alarmEvents(from: number, to: number): RecordedAlarmEvent[];
}

/**
 * Writes every alarm event from `from` to `to` (inclusive) as CSV — raise, acknowledge, shelve,
 * return to normal and the rest — with its machine, signal, limit, priority, the state it left, who
 * and why; returns the number of rows. Times are ISO 8601 UTC; text fields are neutralised against
 * spreadsheet formulas as the sample export's are (operator names and reasons are typed by people).
 */
export function exportAlarmJournal(source: AlarmJournalSource, from: number, to: number, write: (chunk: string) => void): number {
  const lines = [alarmJournalHeader];
  const rows = alarmJournalRows(source, from, to);
  for (let next = rows.next(); ; next = rows.next()) {
    if (next.done) {
      write(`${lines.join('\n')}\n`);
      return next.value;
    }
    lines.push(next.value);
  }
}

/** The journal's rows from `from` to `to` (inclusive), one CSV line each without its line break; returns the row count. */
export function* alarmJournalRows(source: AlarmJournalSource, from: number, to: number): Generator<string, number> {
  const order = signalOrder(source.plant);
  const machineIds = source.plant.machines.map((machine) => machine.id);
  let rows = 0;
  for (const event of source.alarmEvents(from, to)) {
    const { record } = event;
    const signal = order.signals[record.signal];
    const machine = machineIds[record.machine];
    if (!signal || machine === undefined) continue;
    yield [
      new Date(event.time).toISOString(),
      csvTextField(eventWords[event.event] ?? event.event),
      csvTextField(machine),
      csvTextField(signal.id),
      record.limit,
      record.priority,
      record.state,
      csvTextField(event.operator ?? ''),
      csvTextField(event.reason ?? ''),
      csvTextField(record.message),
    ].join(',');
    rows++;
  }
  return rows;
}
