import type { PlantDescription, SignalMetadata } from '../../src-main/common/contract.ts';
import { Health, healthStates, sourceLostValue, staleAfterMs, type HealthCode, type HealthState } from '../../src-main/common/health.ts';
import type { Limits, Machine } from '../../src-main/common/plant-schema.ts';
import { shownUnit } from '../../src-main/common/signal-metadata.ts';
import { currentHost } from '../host-link.ts';
import { isReplaying, reportProblem, selectMachine, useViewStore } from '../state/view-store.ts';
import { hostNow, type FrameBuffer, type FrameBufferState } from '../telemetry/frame-buffer.ts';
import { healthSinceOf, type HealthMoment, type HealthSinceTracker } from '../telemetry/health-since.ts';
import { useThrottledVersion } from '../telemetry/use-throttled-version.ts';
import { useClock, useClockSetting } from '../state/clock-setting.ts';
import { csvOnClock } from './csv-on-clock.ts';
import { fileNameTime, formatAge, formatSampleValue, formatTimeOfDay, formatValue, type Clock } from './format.ts';
import { HealthBadge } from './HealthBadge.tsx';
import { Trend, useTrends } from './Trend.tsx';
import { sharesRunningIndexes } from './shares-running-indexes.ts';
import { ForecastNote } from './forecast/ForecastNote.tsx';
import { MachineEditSection } from '../edit/MachineEditSection.tsx';
import { MachineAlarms } from './alarms/MachineAlarms.tsx';
import { InspectorChart } from './charts/InspectorChart.tsx';

function formatLimits(limits: Limits | undefined): string {
  if (!limits) return '—';
  const low = [limits.lowAlarm, limits.lowWarn].map((limit) => (limit === undefined ? '' : formatValue(limit)));
  const high = [limits.highWarn, limits.highAlarm].map((limit) => (limit === undefined ? '' : formatValue(limit)));
  return `${low[0] || '·'} / ${low[1] || '·'} … ${high[0] || '·'} / ${high[1] || '·'}`;
}

/** How a state's "since" reads: "in alarm since 10:22:40.3 +01:00". A machine never heard from has no since. */
const sinceWords: Record<HealthState, string | null> = {
  alarm: 'in alarm since',
  warn: 'warning since',
  stale: 'stale since',
  offline: 'offline since',
  bad: 'bad quality since',
  ok: 'ok since',
  unknown: null,
};

/**
 * "in alarm since 10:22:40.3 +01:00" (or, `short`, "since 10:22:40.3 +01:00"), with "or earlier" when the
 * view only knows the state held then; null when there is nothing to say (never heard from, no time yet).
 */
export function describeSince(code: number, moment: HealthMoment, clock: Clock, short = false): string | null {
  const words = sinceWords[healthStates[code as HealthCode] ?? 'unknown'];
  if (words === null || moment.since <= 0) return null;
  return `${short ? 'since' : words} ${formatTimeOfDay(moment.since, clock)}${moment.exact ? '' : ' or earlier'}`;
}

/**
 * When a signal entered its health: a stale signal went stale exactly when its stale timeout ran out
 * after its last sample (or when its source said it was lost), which the sample time tells; other
 * states as the view saw them change.
 */
function signalSince(state: FrameBufferState, tracker: HealthSinceTracker, machine: Machine, index: number, offset: number): HealthMoment {
  const sampleTime = state.sampleTimes[index]!;
  if (state.signalHealth[index] === Health.stale && sampleTime > 0) {
    const lost = state.values[index] === sourceLostValue;
    return { since: lost ? sampleTime : sampleTime + staleAfterMs(machine.signals[offset]!), exact: true };
  }
  return tracker.signal(index);
}

/** When a machine entered its health; a stale machine the view did not see go stale went stale with its first stale signal. */
function machineSince(state: FrameBufferState, tracker: HealthSinceTracker, machine: Machine, selected: number, firstSignal: number): HealthMoment {
  const seen = tracker.machine(selected);
  if (seen.exact || state.machineHealth[selected] !== Health.stale) return seen;
  const stale = machine.signals.map((_, offset) => signalSince(state, tracker, machine, firstSignal + offset, offset)).filter((moment, offset) => state.signalHealth[firstSignal + offset] === Health.stale && moment.exact);
  return stale.length === 0 ? seen : { since: Math.min(...stale.map((moment) => moment.since)), exact: true };
}

/** The source's engineering range as "range 0–16" (an end it leaves open as "…"); null when it gives none. */
export function formatRange(metadata: SignalMetadata | undefined): string | null {
  if (metadata?.low === undefined && metadata?.high === undefined) return null;
  // Ends as the source wrote them (0, 16, -40), not padded to a value's decimals.
  const end = (value: number | undefined) => (value === undefined ? '…' : String(Number(value.toPrecision(6))));
  return `range ${end(metadata.low)}–${end(metadata.high)}`;
}

/** Downloads the machine's recorded samples over the timeline's selected range (else its visible stretch) as CSV. */
function ExportButton({ signals, name }: { signals: string[]; name: string }) {
  const stretch = useViewStore((state) => state.selectedRange ?? state.timelineWindow);
  const canReplay = useViewStore((state) => state.player?.capabilities.replay ?? false);
  if (!stretch || !canReplay) return null;
  const download = () => {
    currentHost()
      ?.exportCsv({ signals, from: Math.floor(stretch.start), to: Math.ceil(stretch.end) })
      .then(({ csv }) => {
        const link = document.createElement('a');
        const clock = useClockSetting.getState().clock;
        link.href = URL.createObjectURL(new Blob([csvOnClock(csv, clock)], { type: 'text/csv' }));
        link.download = `${name}-${fileNameTime(stretch.start, clock)}.csv`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      })
      .catch((error: unknown) => reportProblem(`Export: ${error instanceof Error ? error.message : String(error)}`));
  };
  return (
    <button type="button" className="export" title="Samples of these signals over the timeline's selected range (Shift-drag on it), else its visible stretch, as CSV" onClick={download}>
      Export CSV
    </button>
  );
}

/** The selected machine's signals: value, unit, trend, limits, state and age of the last sample. */
export function Inspector({ description, running = description, buffer }: { description: PlantDescription; running?: PlantDescription; buffer: FrameBuffer }) {
  const selected = useViewStore((state) => state.selectedMachine);
  const signalMetadata = useViewStore((state) => state.signalMetadata);
  if (selected === null) return null;
  // Keyed by machine, so the trends of one machine never show under another's signals.
  return <MachineInspector key={selected} description={description} buffer={buffer} selected={selected} signalMetadata={signalMetadata} recorded={sharesRunningIndexes(description, running, selected)} />;
}

/** One machine's inspector; `signalMetadata` is what the sources say about signals (units, ranges), by signal index. */
export function MachineInspector({
  description,
  buffer,
  selected,
  signalMetadata,
  recorded = true,
}: {
  description: PlantDescription;
  buffer: FrameBuffer;
  selected: number;
  signalMetadata: ReadonlyMap<number, SignalMetadata>;
  /** False when the host's indexes name another machine or signals (see sharesRunningIndexes). */
  recorded?: boolean;
}) {
  useThrottledVersion(buffer, 250);
  const trends = useTrends(recorded ? selected : null);
  const stretch = useViewStore((state) => state.timelineWindow);
  const clock = useClock();
  const machine = description.plant.machines[selected];
  if (!machine) return null;
  const telemetry = buffer.getState();
  const tracker = healthSinceOf(buffer, isReplaying);
  const now = hostNow(telemetry, performance.now());
  const firstSignal = description.signalMachine.indexOf(selected);
  const machineHealthSince = describeSince(telemetry.machineHealth[selected]!, machineSince(telemetry, tracker, machine, selected, firstSignal), clock);
  return (
    <aside className="inspector" aria-label={`Inspector: ${machine.name}`}>
      <header>
        <div>
          <h2>{machine.name}</h2>
          <p>
            {machine.area} · {machine.line} · <code>{machine.id}</code>
          </p>
        </div>
        <HealthBadge code={telemetry.machineHealth[selected]!} />
        {machineHealthSince ? (
          <span className="health-since" data-health-since>
            {machineHealthSince}
          </span>
        ) : null}
        <ExportButton signals={machine.signals.map((signal) => `${machine.id}/${signal.id}`)} name={machine.id} />
        <button type="button" className="close" aria-label="Close inspector" onClick={() => selectMachine(null)}>
          ×
        </button>
      </header>
      <MachineAlarms machine={selected} />
      <table>
        <thead>
          <tr>
            <th>Signal</th>
            <th className="number">Value</th>
            <th>{stretch ? 'Trend' : ''}</th>
            <th>Limits (LL / L … H / HH)</th>
            <th>State</th>
            <th className="number">Age</th>
          </tr>
        </thead>
        <tbody>
          {machine.signals.map((signal, offset) => {
            const index = firstSignal + offset;
            const sampleTime = telemetry.sampleTimes[index]!;
            const hasSample = sampleTime > 0;
            const value = telemetry.values[index]!;
            // Bad quality and a lost source are shown in words, without a unit, as they are no measurement.
            const measured = Number.isFinite(value);
            const metadata = signalMetadata.get(index);
            const unit = shownUnit(signal.unit, metadata);
            const range = formatRange(metadata);
            return (
              <tr key={signal.id} data-signal={signal.id}>
                <td title={signal.topic}>{signal.name ?? signal.id}</td>
                <td className={measured || !hasSample ? 'number value' : 'number value not-measured'}>
                  {hasSample ? formatSampleValue(value, telemetry.signalHealth[index]!) : '—'} {measured || !hasSample ? <span className="unit">{unit}</span> : null}
                </td>
                <td>{stretch ? <Trend trend={trends.get(index)} limits={signal.limits} from={stretch.start} to={stretch.end} /> : null}</td>
                <td className="limits">
                  {formatLimits(signal.limits)}
                  {range === null ? null : (
                    // The source's display range: shown beside the limits, never taken for them.
                    <span className="range" title={`Engineering range the source gives${unit ? ` (${unit})` : ''}: a display range, not an alarm limit`}>
                      {range}
                    </span>
                  )}
                </td>
                <td>
                  <HealthBadge code={telemetry.signalHealth[index]!} />
                  <span className="signal-since">{describeSince(telemetry.signalHealth[index]!, signalSince(telemetry, tracker, machine, index, offset), clock, true)}</span>
                  {recorded && <ForecastNote signal={index} now={now} />}
                </td>
                <td className="number">{hasSample ? formatAge(now - sampleTime) : 'never'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {recorded && <InspectorChart description={description} buffer={buffer} machine={selected} />}
      <MachineEditSection description={description} buffer={buffer} selected={selected} />
    </aside>
  );
}
