import { useCallback, useEffect, useReducer, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { PlayerCommand, PlayerState, RecordingEntry, TimelineOverview } from '../../src-main/common/contract.ts';
import { currentHost } from '../host-link.ts';
import { appearanceOf } from '../scene/health-palette.ts';
import { focusMachine, reportProblem, reportRequestProblem, selectRange, useViewStore } from '../state/view-store.ts';
import { alarmsInScope, alarmWords, type TimelineAlarm } from './alarm-words.ts';
import { AnnotationMarkers } from './annotations/AnnotationMarkers.tsx';
import { useClock } from '../state/clock-setting.ts';
import { compactCount, formatAge, formatIsoTime, formatMoment, sameDay, type Clock } from './format.ts';
import { edgePanRate, fractionOf, nextWindow, panWindow, rangeBetween, rangeOnStrip, timeAtPointer, wholeSecondWindow, type TimeSpan } from './timeline-geometry.ts';

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
/** How far back ▶ in Live starts replaying: far enough to see what just happened. */
const replayFromLiveMs = 60_000;
/** How often the window pans while the pointer is held past an edge of the strip. */
const edgePanIntervalMs = 50;
/** A shift-drag shorter than this many pixels selects nothing (it clears the range). */
const minimumSelectionPixels = 3;

function send(command: PlayerCommand): Promise<PlayerState | undefined> {
  const host = currentHost();
  if (!host) return Promise.resolve(undefined);
  // Only commands that may open a file show progress; seeks while scrubbing must not flicker it.
  const opens = command.action === 'replay' || (command.action === 'play' && useViewStore.getState().player?.mode === 'live');
  if (opens) useViewStore.setState({ playerBusy: true });
  return host
    .request('player', command)
    .then((player) => {
      useViewStore.setState({ player });
      return player;
    })
    .catch((error: unknown) => {
      reportProblem(`Replay: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    })
    .finally(() => opens && useViewStore.setState({ playerBusy: false }));
}

/**
 * ▶ while live replays from a minute ago and plays, rather than opening the recording at its end,
 * where playing would stop at once and look like nothing happened.
 */
async function playFromLive(player: PlayerState): Promise<void> {
  const from = Math.max(player.range.start, Math.round(player.time - replayFromLiveMs));
  const entered = await send({ action: 'replay', time: from });
  if (entered?.mode === 'replay') await send({ action: 'play' });
}

/** A range's end as its time of day when it ends on the day it starts, so the range reads in one glance. */
function shortEnd(range: TimeSpan, clock: Clock): string {
  const end = formatMoment(range.end, clock);
  return sameDay(range.start, range.end, clock) ? end.slice(11) : end;
}

/** What a pointer held on the strip is doing: moving the time, or choosing a range from `anchor`. */
interface Drag {
  mode: 'scrub' | 'select';
  anchor: number;
  clientX: number;
  lastSeek: number;
}

/**
 * Play, pause, speed, scrub and jump between alarms, over a strip of the plant's health in time.
 * The strip is a slider: a press lands at the time under the pointer, and the window it shows stays
 * put while the button is down; it moves only when the time leaves it, or by a deliberate pan.
 */
export function Timeline() {
  const player = useViewStore((state) => state.player);
  const selected = useViewStore((state) => state.selectedMachine);
  const busy = useViewStore((state) => state.playerBusy);
  const selectedRange = useViewStore((state) => state.selectedRange);
  const hostLink = useViewStore((state) => state.hostLink);
  const selectedName = useViewStore((state) => (selected === null ? undefined : state.description?.plant.machines[selected]?.name));
  const clock = useClock();
  const description = useViewStore((state) => state.description);
  // ◀ Alarm / Alarm ▶ may keep to the selected machine's alarms.
  const [alarmsOfSelected, setAlarmsOfSelected] = useState(false);
  const [zoom, setZoom] = useState(0);
  const [overview, setOverview] = useState<(TimelineOverview & { from: number }) | undefined>();
  const [recordings, setRecordings] = useState<RecordingEntry[]>([]);
  const [draftRange, setDraftRange] = useState<TimeSpan | null>(null);
  const [, repaint] = useReducer((count: number) => count + 1, 0);
  const strip = useRef<HTMLCanvasElement>(null);
  const slider = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  const shownWindow = useRef<TimeSpan | undefined>(undefined);
  // The time shown when the window was last panned by hand: while it still shows, the window stays
  // there. Live's time moves every second, so a window panned while live stays until live is left.
  const pannedAt = useRef<{ time: number; live: boolean } | undefined>(undefined);
  const holdPan = () => (pannedAt.current = player ? { time: player.time, live: player.mode === 'live' } : undefined);
  const span = zooms[zoom]!.ms;
  const panned = pannedAt.current;
  const held = drag.current !== null || (panned !== undefined && (panned.time === player?.time || (panned.live && player?.mode === 'live')));
  const visible = player ? nextWindow(shownWindow.current, { span, range: player.range, time: player.time, held }) : undefined;
  shownWindow.current = visible;
  const wholeSeconds = visible ? wholeSecondWindow(visible) : undefined;
  const windowKey = wholeSeconds ? `${wholeSeconds.start}:${wholeSeconds.end}` : '';

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
    const [start, end] = windowKey.split(':').map(Number);
    useViewStore.setState({ timelineWindow: windowKey === '' ? null : { start: start!, end: end! } });
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
        // Opaque: each state's colour differs from the others in lightness, which translucency would blur.
        context.fillStyle = appearanceOf(code).css;
        context.fillRect(index * width, rowIndex * rowHeight + 1, Math.ceil(width), rowHeight - 2);
      });
    });
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

  /** Moves the time (or the range being chosen) to where the held pointer is, in the current window. */
  const follow = useCallback((force: boolean) => {
    const held = drag.current;
    const box = slider.current?.getBoundingClientRect();
    const window = shownWindow.current;
    const range = useViewStore.getState().player?.range;
    if (!held || !box || !window || !range) return;
    const time = timeAtPointer(window, box, held.clientX);
    if (held.mode === 'select') {
      setDraftRange(rangeBetween(held.anchor, time, range));
      return;
    }
    // Scrubbing sends at most ~20 seeks a second; the scene follows each one.
    if (!force && performance.now() - held.lastSeek < 50) return;
    held.lastSeek = performance.now();
    void send({ action: 'seek', time: Math.round(time) });
  }, []);

  // Held past an edge, the window pans at a bounded rate, so reaching beyond it is deliberate and never runs away.
  useEffect(() => {
    const timer = setInterval(() => {
      const held = drag.current;
      const box = slider.current?.getBoundingClientRect();
      const window = shownWindow.current;
      const range = useViewStore.getState().player?.range;
      if (!held || !box || !window || !range) return;
      const rate = edgePanRate(window, box, held.clientX);
      if (rate === 0) return;
      const panned = panWindow(window, (rate * edgePanIntervalMs) / 1000, range);
      if (panned.start === window.start) return;
      shownWindow.current = panned;
      repaint();
      follow(true);
    }, edgePanIntervalMs);
    return () => clearInterval(timer);
  }, [follow]);

  if (!player) return null;
  const alarms = overview?.alarms ?? [];
  const jumpable = alarmsInScope(alarms, alarmsOfSelected ? selected : null);
  const previousAlarm = [...jumpable].reverse().find((alarm) => alarm.time < player.time - 500);
  const nextAlarm = jumpable.find((alarm) => alarm.time > player.time + 500);
  const describeAlarm = (alarm: TimelineAlarm) => (description ? alarmWords(description, alarm, clock) : formatMoment(alarm.time, clock));
  /** A jump lands on the alarm's moment with its machine selected, framed in the scene and shown in the machine list. */
  const jumpTo = (alarm: TimelineAlarm) => {
    void send({ action: 'seek', time: alarm.time });
    focusMachine(alarm.machine);
  };
  const replaying = player.mode === 'replay';
  const cursor = visible ? fractionOf(visible, player.time) * 100 : 0;
  const recording = player.recording;
  const wholeRangeShown = !visible || (visible.start <= player.range.start && visible.end >= player.range.end);
  const shownRange = draftRange ?? selectedRange;
  const selectionOnStrip = visible && shownRange ? rangeOnStrip(visible, shownRange) : null;
  const loopOnStrip = visible && player.loop ? rangeOnStrip(visible, player.loop) : null;

  /** After a selector changed, the keys go back to the timeline (Space, ←/→, Home/End), not to the selector. */
  const returnKeys = (select: HTMLSelectElement) => {
    if (slider.current) slider.current.focus({ preventScroll: true });
    else select.blur();
  };

  /** Pans by a fraction of the window; panned back to the recording's end, the window follows it again. */
  const pan = (windows: number) => {
    if (!visible) return;
    const panned = panWindow(visible, windows * (visible.end - visible.start), player.range);
    shownWindow.current = panned;
    if (panned.end >= player.range.end) pannedAt.current = undefined;
    else holdPan();
    repaint();
  };

  const toggleLoop = () => {
    if (player.loop) {
      void send({ action: 'loop', range: null });
      return;
    }
    const range = selectedRange ?? (visible ? { start: Math.floor(visible.start), end: Math.ceil(visible.end) } : null);
    if (!range) return;
    void send({ action: 'loop', range }).then((state) => {
      // Looping a range somewhere else starts at its beginning, so the loop is what plays.
      if (state && (state.time < range.start || state.time > range.end)) void send({ action: 'seek', time: range.start });
    });
  };

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || !visible) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus({ preventScroll: true });
    const box = event.currentTarget.getBoundingClientRect();
    const time = timeAtPointer(visible, box, event.clientX);
    drag.current = { mode: event.shiftKey ? 'select' : 'scrub', anchor: time, clientX: event.clientX, lastSeek: 0 };
    pannedAt.current = undefined;
    follow(true);
  };

  const onPointerUp = (event: ReactPointerEvent<HTMLDivElement>) => {
    const held = drag.current;
    if (!held) return;
    held.clientX = event.clientX;
    follow(true);
    drag.current = null;
    const window = shownWindow.current;
    if (held.mode === 'select' && window) {
      const box = event.currentTarget.getBoundingClientRect();
      const range = rangeBetween(held.anchor, timeAtPointer(window, box, event.clientX), player.range);
      const pixels = (fractionOf(window, range.end) - fractionOf(window, range.start)) * box.width;
      selectRange(pixels >= minimumSelectionPixels ? range : null);
      setDraftRange(null);
      // The window stays where the range was chosen, even if that is away from the shown time.
      holdPan();
    }
    repaint();
  };

  return (
    <section
      className={`timeline timeline-${player.mode}`}
      aria-label="Timeline"
      data-player-mode={player.mode}
      data-player-time={Math.round(player.time)}
      data-player-speed={player.speed}
      data-loop-start={player.loop?.start}
      data-loop-end={player.loop?.end}
    >
      <div className="timeline-controls">
        <div className="mode-switch" role="group" aria-label="Live or replay">
          <button type="button" aria-pressed={!replaying} disabled={!player.capabilities.live} onClick={() => void send({ action: 'live' })}>
            ● Live
          </button>
          <button type="button" aria-pressed={replaying} disabled={!player.capabilities.replay} onClick={() => void send({ action: 'replay' })}>
            Replay
          </button>
        </div>
        <button
          type="button"
          title={previousAlarm ? `Previous alarm: ${describeAlarm(previousAlarm)}` : 'Previous alarm'}
          aria-label={previousAlarm ? `Previous alarm: ${describeAlarm(previousAlarm)}` : 'Previous alarm'}
          data-alarm-machine={previousAlarm?.machine}
          disabled={!previousAlarm}
          onClick={() => previousAlarm && jumpTo(previousAlarm)}
        >
          ◀ Alarm
        </button>
        {replaying ? (
          <button type="button" className="play" aria-label={player.playing ? 'Pause' : 'Play'} onClick={() => void send({ action: player.playing ? 'pause' : 'play' })}>
            {player.playing ? '❚❚' : '▶'}
          </button>
        ) : (
          <button
            type="button"
            className="play play-from-live"
            aria-label="Replay the last minute"
            title="Switches to Replay and plays from a minute ago; ● Live returns"
            disabled={!player.capabilities.replay}
            onClick={() => void playFromLive(player)}
          >
            ▶ <small>−1 min</small>
          </button>
        )}
        <button
          type="button"
          title={nextAlarm ? `Next alarm: ${describeAlarm(nextAlarm)}` : 'Next alarm'}
          aria-label={nextAlarm ? `Next alarm: ${describeAlarm(nextAlarm)}` : 'Next alarm'}
          data-alarm-machine={nextAlarm?.machine}
          disabled={!nextAlarm}
          onClick={() => nextAlarm && jumpTo(nextAlarm)}
        >
          Alarm ▶
        </button>
        <button
          type="button"
          className="alarm-scope"
          aria-pressed={alarmsOfSelected && selected !== null}
          disabled={selected === null}
          title={selectedName === undefined ? 'Select a machine to move between its alarms only' : `◀ Alarm and Alarm ▶ move between ${selectedName}'s alarms only`}
          onClick={() => setAlarmsOfSelected(!alarmsOfSelected)}
        >
          only this machine
        </button>
        <label>
          Speed{' '}
          <select
            aria-label="Speed"
            value={player.speed}
            disabled={!player.capabilities.replay}
            onChange={(event) => {
              void send({ action: 'speed', speed: Number(event.target.value) });
              returnKeys(event.currentTarget);
            }}
          >
            {speeds.map((speed) => (
              <option key={speed} value={speed}>
                {speed}×
              </option>
            ))}
          </select>
        </label>
        <span className="clock" aria-label="Shown time" data-clock={clock} title={`${formatIsoTime(player.time, clock)}: the same instant for twinline export --from`}>
          {replaying ? 'Replay ' : 'Live '}
          {formatMoment(player.time, clock)}
        </span>
        <button
          type="button"
          className="loop"
          aria-pressed={player.loop !== null}
          disabled={!replaying || !visible}
          title={player.loop ? `Looping ${formatMoment(player.loop.start, clock)} – ${formatMoment(player.loop.end, clock)}; press to stop` : selectedRange ? 'Replay the selected range over and over' : 'Replay the visible stretch over and over (Shift-drag on the strip to choose a range)'}
          onClick={toggleLoop}
        >
          ⟲ Loop{player.loop ? ' on' : ''}
        </button>
        {selectedRange ? (
          <span className="selected-range" data-selection-start={selectedRange.start} data-selection-end={selectedRange.end}>
            Range {formatMoment(selectedRange.start, clock)} – {shortEnd(selectedRange, clock)} ({formatAge(selectedRange.end - selectedRange.start)})
            <button type="button" aria-label="Clear the range" title="Clear the range: Loop and Export CSV take the visible stretch again" onClick={() => selectRange(null)}>
              ✕
            </button>
          </span>
        ) : null}
        {busy ? <progress className="opening" aria-label="Opening the recording" /> : null}
        <span className="spacer" />
        {recordings.length > 1 ? (
          <label>
            Recording{' '}
            <select
              aria-label="Recording"
              value={player.replaying ?? ''}
              onChange={(event) => {
                void send({ action: 'replay', recording: event.target.value });
                returnKeys(event.currentTarget);
              }}
            >
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
        {/* Zoom and its pan buttons wrap as one group on a narrow window, never apart. */}
        <span className="zoom-group">
        <label>
          Zoom{' '}
          <select
            aria-label="Zoom"
            value={zoom}
            onChange={(event) => {
              pannedAt.current = undefined;
              setZoom(Number(event.target.value));
              returnKeys(event.currentTarget);
            }}
          >
            {zooms.map((entry, index) => (
              <option key={entry.label} value={index}>
                {entry.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="pan" aria-label="Show earlier" title="Show an earlier stretch (or Shift+wheel on the strip, or drag past its left edge)" disabled={!visible || wholeRangeShown || visible.start <= player.range.start} onClick={() => pan(-0.5)}>
          ◀
        </button>
        <button type="button" className="pan" aria-label="Show later" title="Show a later stretch (or Shift+wheel on the strip, or drag past its right edge)" disabled={!visible || wholeRangeShown || visible.end >= player.range.end} onClick={() => pan(0.5)}>
          ▶
        </button>
        </span>
        {player.problem ? (
          <span className="replay-problem" role="status" title={player.problem}>
            ⚠ {player.problem}
          </span>
        ) : null}
        {recording && hostLink !== 'connected' ? (
          // Without the host nobody can say whether it still records: never the last "● REC".
          <span className="recording recording-unknown" data-recording="unknown" title="Whether the host is still recording cannot be known while it is unreachable">
            ○ REC unknown — host unreachable
          </span>
        ) : recording ? (
          <span
            data-recording={recording.error ? 'failed' : 'on'}
            className={`recording ${recording.error ? 'recording-failed' : ''}`}
            title={recording.error ?? `Recording to ${recording.file ?? 'nothing yet'}: ${recording.samplesTotal.toLocaleString()} samples so far`}
          >
            {recording.error ? `⚠ ${recording.error}` : `● REC ${(recording.bytes / 1e6).toFixed(1)} MB · ${recording.samplesPerSecond}/s · ${compactCount(recording.samplesTotal)} samples`}
          </span>
        ) : null}
      </div>
      {player.capabilities.replay && visible ? (
        <div className="timeline-track">
          <div className="timeline-row-labels">
            <span title="The whole plant's worst health over time">Plant</span>
            {overview?.machineHealth && selectedName !== undefined ? <span title={`${selectedName}'s health over time`}>{selectedName}</span> : null}
          </div>
          <div
            ref={slider}
            className="timeline-strip"
            role="slider"
            tabIndex={0}
            aria-label="Time"
            aria-valuemin={Math.round(player.range.start)}
            aria-valuemax={Math.round(player.range.end)}
            aria-valuenow={Math.round(Math.min(player.range.end, Math.max(player.range.start, player.time)))}
            aria-valuetext={formatMoment(player.time, clock)}
            data-window-start={Math.round(visible.start)}
            data-window-end={Math.round(visible.end)}
            title="Press or drag to move the time; Shift-drag chooses a range for Loop and Export CSV; Shift+wheel pans"
            onPointerDown={onPointerDown}
            onPointerMove={(event) => {
              if (!drag.current) return;
              drag.current.clientX = event.clientX;
              follow(false);
            }}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
            onWheel={(event) => {
              const delta = event.deltaX !== 0 ? event.deltaX : event.shiftKey ? event.deltaY : 0;
              if (delta !== 0 && !wholeRangeShown) pan(Math.sign(delta) / 10);
            }}
          >
            <canvas ref={strip} className="health-strip" aria-hidden="true" />
            {loopOnStrip ? <div className="timeline-loop" title="Looped range" style={{ left: `${loopOnStrip.left}%`, width: `${loopOnStrip.width}%` }} /> : null}
            {selectionOnStrip ? <div className="timeline-selection" style={{ left: `${selectionOnStrip.left}%`, width: `${selectionOnStrip.width}%` }} /> : null}
            <div className="timeline-cursor" style={{ left: `${Math.min(100, Math.max(0, cursor))}%` }} />
          </div>
          {alarms
            .filter((alarm) => alarm.time >= visible.start && alarm.time <= visible.end)
            .map((alarm) => (
              <button
                key={`${alarm.time}-${alarm.machine}`}
                type="button"
                className="alarm-marker"
                data-alarm-time={alarm.time}
                style={{ left: `${fractionOf(visible, alarm.time) * 100}%` }}
                data-alarm-machine={alarm.machine}
                title={`Alarm: ${describeAlarm(alarm)}`}
                aria-label={`Alarm: ${describeAlarm(alarm)}`}
                onClick={() => jumpTo(alarm)}
              >
                ▼
              </button>
            ))}
          <AnnotationMarkers visible={visible} />
          <span className="range-start">{formatMoment(visible.start, clock)}</span>
          <span className="range-end">{formatMoment(visible.end, clock)}</span>
        </div>
      ) : null}
    </section>
  );
}

/** Whether keys typed into `target` belong to it: text fields and selects (their arrows choose), never the timeline. */
function keysBelongTo(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target.tagName !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return type !== 'button' && type !== 'submit' && type !== 'reset';
}

/**
 * Space plays or pauses, ←/→ step a second (Shift: ten), Home/End jump to the recording's ends,
 * wherever the focus is except in a text field or a select; after a selector is used it hands the
 * keys back, so they work after any control.
 */
export function useTimelineKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || keysBelongTo(event.target)) return;
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
      // Space in Live does what ▶ does there: replays the last minute.
      if (event.key === ' ' && player.mode === 'live') void playFromLive(player);
      else void send(command);
    };
    globalThis.addEventListener('keydown', onKey);
    return () => globalThis.removeEventListener('keydown', onKey);
  }, []);
}
