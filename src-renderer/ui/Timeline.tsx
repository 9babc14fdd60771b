import { useCallback, useEffect, useRef, useState } from 'react';
import type { PlayerCommand, PlayerState, RecordingEntry, TimelineOverview } from '../../src-main/common/contract.ts';
import { currentHost } from '../host-link.ts';
import { appearanceOf } from '../scene/health-palette.ts';
import { reportProblem, reportRequestProblem, useViewStore } from '../state/view-store.ts';
import { compactCount, formatMoment } from './format.ts';

const speeds = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 100];
/** Visible spans of the time axis, from minutes to days; 0 shows the whole recording. */
const zooms = [
  { label: '5 min', ms: 5 * 60_000 },
  { label: '30 min', ms: 30 * 60_000 },
  { label: '2 h', ms: 2 * 3_600_000 },
  { label: '12 h', ms: 12 * 3_600_000 },
  { label: '2 days', ms: 48 * 3_600_000 },
  { label: 'All', ms: 0 },
];

function send(command: PlayerCommand): void {
  const host = currentHost();
  if (!host) return;
  // Only commands that may open a file show progress; seeks while scrubbing must not flicker it.
  const opens = command.action === 'replay' || (command.action === 'play' && useViewStore.getState().player?.mode === 'live');
  if (opens) useViewStore.setState({ playerBusy: true });
  host
    .request('player', command)
    .then((player) => useViewStore.setState({ player }))
    .catch((error: unknown) => reportProblem(`Replay: ${error instanceof Error ? error.message : String(error)}`))
    .finally(() => opens && useViewStore.setState({ playerBusy: false }));
}

/** The visible window of the axis: the whole recording, or `span` around the shown moment. */
function visibleWindow(player: PlayerState, span: number): { start: number; end: number } {
  const { start, end } = player.range;
  if (span === 0 || end - start <= span) return { start, end: Math.max(end, start + 1) };
  const from = Math.min(Math.max(start, player.time - span / 2), end - span);
  return { start: from, end: from + span };
}

/**
 * Play, pause, speed, scrub and jump between alarms, over a strip of the plant's health in time.
 * Live and replay look the same here: only the mode switch says which one is shown.
 */
export function Timeline() {
  const player = useViewStore((state) => state.player);
  const selected = useViewStore((state) => state.selectedMachine);
  const busy = useViewStore((state) => state.playerBusy);
  const [zoom, setZoom] = useState(0);
  const [overview, setOverview] = useState<(TimelineOverview & { from: number }) | undefined>();
  const [recordings, setRecordings] = useState<RecordingEntry[]>([]);
  const strip = useRef<HTMLCanvasElement>(null);
  const scrubbing = useRef(false);
  const lastSeek = useRef(0);
  const span = zooms[zoom]!.ms;
  const visible = player ? visibleWindow(player, span) : undefined;
  const windowKey = visible ? `${Math.round(visible.start / 1000)}:${Math.round(visible.end / 1000)}` : '';

  useEffect(() => {
    if (!player?.capabilities.replay || !visible) return;
    let cancelled = false;
    const load = () => {
      const width = strip.current?.clientWidth ?? 600;
      const from = Math.floor(visible.start);
      currentHost()
        ?.request('getTimeline', { from, to: Math.ceil(visible.end), buckets: Math.max(1, Math.min(4000, Math.floor(width / 2))), machine: selected })
        .then((result) => !cancelled && setOverview({ ...result, from }))
        .catch((error: unknown) => reportRequestProblem('Timeline', error));
    };
    load();
    const timer = setInterval(load, 2000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
    // The visible is keyed to whole seconds so that playback does not refetch every frame.
  }, [windowKey, selected, player?.capabilities.replay]);

  useEffect(() => {
    const [start, end] = windowKey.split(':').map((seconds) => Number(seconds) * 1000);
    useViewStore.setState({ timelineWindow: windowKey === '' ? null : { start: start!, end: end! + 999 } });
  }, [windowKey]);

  useEffect(() => {
    if (!player?.capabilities.replay) return;
    const load = () =>
      currentHost()
        ?.request('listRecordings', {})
        .then(setRecordings)
        .catch((error: unknown) => reportRequestProblem('Recordings list', error));
    load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
  }, [player?.capabilities.replay]);

  useEffect(() => {
    const canvas = strip.current;
    if (!canvas || !overview) return;
    const ratio = globalThis.devicePixelRatio ?? 1;
    canvas.width = canvas.clientWidth * ratio;
    canvas.height = canvas.clientHeight * ratio;
    const context = canvas.getContext('2d');
    if (!context) return;
    context.clearRect(0, 0, canvas.width, canvas.height);
    const rows = overview.machineHealth ? [overview.plantHealth, overview.machineHealth] : [overview.plantHealth];
    const rowHeight = canvas.height / rows.length;
    rows.forEach((row, rowIndex) => {
      const width = canvas.width / row.length;
      row.forEach((code, index) => {
        context.fillStyle = appearanceOf(code).css;
        context.globalAlpha = code === 1 ? 0.35 : 0.9;
        context.fillRect(index * width, rowIndex * rowHeight + 1, Math.ceil(width), rowHeight - 2);
      });
    });
    context.globalAlpha = 1;
    // Stretches a damaged recording could not give back are hatched: no colour, so nothing there looks healthy.
    const from = overview.from;
    const msPerPixel = (overview.bucketMs * overview.plantHealth.length) / canvas.width;
    context.strokeStyle = '#c9ced6';
    for (const gap of overview.gaps) {
      const left = Math.max(0, (gap.start - from) / msPerPixel);
      const right = Math.min(canvas.width, (gap.end - from) / msPerPixel);
      if (right < left) continue;
      const width = Math.max(2, right - left);
      context.clearRect(left, 0, width, canvas.height);
      context.save();
      context.beginPath();
      context.rect(left, 0, width, canvas.height);
      context.clip();
      context.beginPath();
      for (let x = left - canvas.height; x < left + width; x += 6) {
        context.moveTo(x, canvas.height);
        context.lineTo(x + canvas.height, 0);
      }
      context.stroke();
      context.restore();
    }
  }, [overview]);

  const timeAt = useCallback(
    (clientX: number) => {
      const canvas = strip.current;
      if (!canvas || !visible) return undefined;
      const box = canvas.getBoundingClientRect();
      const fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
      return visible.start + fraction * (visible.end - visible.start);
    },
    [visible],
  );

  const scrubTo = (clientX: number, force: boolean) => {
    const time = timeAt(clientX);
    if (time === undefined) return;
    // Scrubbing sends at most ~20 seeks a second; the scene follows each one.
    if (!force && performance.now() - lastSeek.current < 50) return;
    lastSeek.current = performance.now();
    send({ action: 'seek', time: Math.round(time) });
  };

  if (!player) return null;
  const alarms = overview?.alarms ?? [];
  const previousAlarm = [...alarms].reverse().find((alarm) => alarm.time < player.time - 500);
  const nextAlarm = alarms.find((alarm) => alarm.time > player.time + 500);
  const replaying = player.mode === 'replay';
  const cursor = visible ? ((player.time - visible.start) / Math.max(1, visible.end - visible.start)) * 100 : 0;
  const recording = player.recording;

  return (
    <section className={`timeline timeline-${player.mode}`} aria-label="Timeline" data-player-mode={player.mode} data-player-time={Math.round(player.time)} data-player-speed={player.speed}>
      <div className="timeline-controls">
        <div className="mode-switch" role="group" aria-label="Live or replay">
          <button type="button" aria-pressed={!replaying} disabled={!player.capabilities.live} onClick={() => send({ action: 'live' })}>
            ● Live
          </button>
          <button type="button" aria-pressed={replaying} disabled={!player.capabilities.replay} onClick={() => send({ action: 'replay' })}>
            Replay
          </button>
        </div>
        <button type="button" title="Previous alarm" aria-label="Previous alarm" disabled={!previousAlarm} onClick={() => previousAlarm && send({ action: 'seek', time: previousAlarm.time })}>
          ◀ Alarm
        </button>
        <button
          type="button"
          className="play"
          aria-label={replaying && player.playing ? 'Pause' : 'Play'}
          disabled={!player.capabilities.replay}
          onClick={() => send({ action: replaying && player.playing ? 'pause' : 'play' })}
        >
          {replaying && player.playing ? '❚❚' : '▶'}
        </button>
        <button type="button" title="Next alarm" aria-label="Next alarm" disabled={!nextAlarm} onClick={() => nextAlarm && send({ action: 'seek', time: nextAlarm.time })}>
          Alarm ▶
        </button>
        <label>
          Speed{' '}
          <select aria-label="Speed" value={player.speed} disabled={!player.capabilities.replay} onChange={(event) => send({ action: 'speed', speed: Number(event.target.value) })}>
            {speeds.map((speed) => (
              <option key={speed} value={speed}>
                {speed}×
              </option>
            ))}
          </select>
        </label>
        <span className="clock" aria-label="Shown time">
          {replaying ? 'Replay ' : 'Live '}
          {formatMoment(player.time)}
        </span>
        <button
          type="button"
          aria-pressed={player.loop !== null}
          disabled={!replaying || !visible}
          title="Replay the visible stretch over and over"
          onClick={() => send({ action: 'loop', range: player.loop || !visible ? null : { start: Math.floor(visible.start), end: Math.ceil(visible.end) } })}
        >
          ⟲ Loop
        </button>
        {busy ? <progress className="opening" aria-label="Opening the recording" /> : null}
        <span className="spacer" />
        {recordings.length > 1 ? (
          <label>
            Recording{' '}
            <select aria-label="Recording" value={player.replaying ?? ''} onChange={(event) => send({ action: 'replay', recording: event.target.value })}>
              {recordings.map((entry) => (
                <option key={entry.name} value={entry.name}>
                  {entry.name.replace(/^twinline-|\.twinline$/g, '')}
                  {entry.current ? ' (recording now)' : ''}
                  {entry.problem ? ` (cannot be read: ${entry.problem})` : ''}
                </option>
              ))}
            </select>
            {player.sessionFiles > 1 ? <small className="session" title="The files before and after it that continue the same recording session are replayed as one"> + {player.sessionFiles - 1} more in session</small> : null}
          </label>
        ) : null}
        <label>
          Zoom{' '}
          <select aria-label="Zoom" value={zoom} onChange={(event) => setZoom(Number(event.target.value))}>
            {zooms.map((entry, index) => (
              <option key={entry.label} value={index}>
                {entry.label}
              </option>
            ))}
          </select>
        </label>
        {player.problem ? (
          <span className="replay-problem" role="status" title={player.problem}>
            ⚠ {player.problem}
          </span>
        ) : null}
        {recording ? (
          <span
            className={`recording ${recording.error ? 'recording-failed' : ''}`}
            title={recording.error ?? `Recording to ${recording.file ?? 'nothing yet'}: ${recording.samplesTotal.toLocaleString()} samples so far`}
          >
            {recording.error ? `⚠ ${recording.error}` : `● REC ${(recording.bytes / 1e6).toFixed(1)} MB · ${recording.samplesPerSecond}/s · ${compactCount(recording.samplesTotal)} samples`}
          </span>
        ) : null}
      </div>
      {player.capabilities.replay && visible ? (
        <div
          className="timeline-track"
          onPointerDown={(event) => {
            scrubbing.current = true;
            event.currentTarget.setPointerCapture(event.pointerId);
            scrubTo(event.clientX, true);
          }}
          onPointerMove={(event) => scrubbing.current && scrubTo(event.clientX, false)}
          onPointerUp={(event) => {
            scrubbing.current = false;
            scrubTo(event.clientX, true);
          }}
        >
          <canvas ref={strip} className="health-strip" aria-label={overview?.machineHealth ? 'Plant and selected machine health over time' : 'Plant health over time'} />
          {alarms
            .filter((alarm) => alarm.time >= visible.start && alarm.time <= visible.end)
            .map((alarm) => (
              <button
                key={`${alarm.time}-${alarm.machine}`}
                type="button"
                className="alarm-marker"
                data-alarm-time={alarm.time}
                style={{ left: `${((alarm.time - visible.start) / (visible.end - visible.start)) * 100}%` }}
                title={`Alarm at ${formatMoment(alarm.time)}`}
                onPointerDown={(event) => event.stopPropagation()}
                onClick={() => send({ action: 'seek', time: alarm.time })}
              >
                ▼
              </button>
            ))}
          <div className="timeline-cursor" style={{ left: `${Math.min(100, Math.max(0, cursor))}%` }} />
          <span className="range-start">{formatMoment(visible.start)}</span>
          <span className="range-end">{formatMoment(visible.end)}</span>
        </div>
      ) : null}
    </section>
  );
}

/** Space plays or pauses, ←/→ step a second (Shift: ten), Home/End jump to the recording's ends. */
export function useTimelineKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
      const player = useViewStore.getState().player;
      if (!player?.capabilities.replay) return;
      const step = event.shiftKey ? 10_000 : 1000;
      const commands: Record<string, PlayerCommand | undefined> = {
        ' ': { action: player.mode === 'replay' && player.playing ? 'pause' : 'play' },
        ArrowLeft: { action: 'step', milliseconds: -step },
        ArrowRight: { action: 'step', milliseconds: step },
        Home: { action: 'seek', time: player.range.start },
        End: { action: 'seek', time: player.range.end },
      };
      const command = commands[event.key];
      if (!command) return;
      event.preventDefault();
      send(command);
    };
    globalThis.addEventListener('keydown', onKey);
    return () => globalThis.removeEventListener('keydown', onKey);
  }, []);
}
