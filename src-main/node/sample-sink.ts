import type { ProblemKind } from '../common/contract.ts';
import type { SignalDescription } from '../common/signal-metadata.ts';

/**
 * Where a protocol decoder (plain JSON topics, a Sparkplug B host application) hands what it made of
 * one broker's messages. The live source behind it applies health rules, records and cuts frames, so
 * every protocol ends in the same path.
 */
export interface SampleSink {
  /**
   * A sample of signal `signalIndex`. `value` is NaN when the source marks it as of bad quality.
   * `sourceTime` is the payload's own timestamp (ms since the epoch), if it carried one; the sink
   * guards it against clock skew.
   */
  sample(signalIndex: number, value: number, sourceTime: number | undefined): void;
  /** These signals lost their source (a Sparkplug node or device died): they turn stale at once, until their next sample. */
  lost(signalIndices: readonly number[]): void;
  /**
   * What the source says about signal `signalIndex` now (its unit and engineering range), replacing
   * what it said before; an empty description withdraws it. The sink bounds it and passes on changes
   * only. A sink that shows no metadata may leave this out.
   */
  describe?(signalIndex: number, description: SignalDescription): void;
  /** A message or sample refused, counted by kind and kept among the recent problems. */
  problem(kind: ProblemKind, topic: string, detail: string): void;
}
