import type { RecordingReader } from '../recording/recording-reader.ts';
import { exportMcap } from './export-mcap.ts';

/** `twinline export FILE --mcap OUT`: writes the range as MCAP and says how many messages it holds. */
export async function exportMcapCommand(reader: RecordingReader, from: number, to: number, out: string, otherOptions: boolean): Promise<void> {
  if (otherOptions) throw new Error('twinline export --mcap writes every signal of the range; it takes only --from and --to');
  const messages = await exportMcap(reader, from, to, out);
  console.error(`wrote ${messages} messages on ${reader.signalKeys.length} channels to ${out}`);
}
