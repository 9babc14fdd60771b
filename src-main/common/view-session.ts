import { protocolVersion, viewMessageSchema, type HostMessage, type MessageEndpoint, type PlayerState, type StreamName, type TwinlineSource, type ViewMessage } from './contract.ts';
import { utf8Length } from './utf8-length.ts';

/** Largest request a view may send; anything bigger is refused unread. */
export const maxViewMessageBytes = 64 * 1024;

/**
 * Serves one connected view: validates each request, answers it from the source, and forwards the
 * streams the view subscribed to. `report` hears what went wrong with the view's connection.
 * Returns a function that ends the session.
 */
export function serveView(endpoint: MessageEndpoint, source: TwinlineSource, report: (problem: string) => void): () => void {
  const subscriptions = new Map<StreamName, () => void>();
  let ended = false;
  // Sending is a boundary too: a transport that throws (a closed port, a failed serialisation) ends this view, never the host.
  const send = (message: HostMessage) => {
    if (ended) return;
    try {
      endpoint.send(message);
    } catch (error) {
      report(`a view's connection failed while sending ${message.type === 'event' ? `a ${message.stream} event` : `a ${message.type}`}: ${describeError(error)}`);
      end();
    }
  };

  const subscribe = (stream: StreamName) => {
    if (subscriptions.has(stream)) return;
    const sendEncodedFrame = endpoint.sendEncodedFrame?.bind(endpoint);
    if (stream === 'frame' && sendEncodedFrame && source.subscribeEncodedFrames) {
      // Frames made elsewhere as text go out as that text: the same boundary as `send`.
      subscriptions.set(
        stream,
        source.subscribeEncodedFrames((event) => {
          if (ended) return;
          try {
            sendEncodedFrame(event);
          } catch (error) {
            report(`a view's connection failed while sending a frame: ${describeError(error)}`);
            end();
          }
        }),
      );
      return;
    }
    subscriptions.set(stream, source.subscribe(stream, (data) => send({ type: 'event', stream, data } as HostMessage)));
  };
  const unsubscribe = (stream: StreamName) => {
    subscriptions.get(stream)?.();
    subscriptions.delete(stream);
  };

  const answer = (request: ViewMessage): unknown | Promise<unknown> => {
    switch (request.method) {
      case 'getPlant':
        return source.describePlant();
      case 'getSnapshot':
        return source.snapshot();
      case 'getStatus':
        return { connections: source.connections(), diagnostics: source.diagnostics(), metadata: source.metadata?.() ?? [] };
      case 'subscribe':
        request.params.streams.forEach(subscribe);
        return { streams: [...subscriptions.keys()] };
      case 'unsubscribe':
        request.params.streams.forEach(unsubscribe);
        return { streams: [...subscriptions.keys()] };
      case 'getPlayer':
        return source.player ? source.player() : livePlayerState(source);
      case 'player':
        if (!source.command) throw new Error('this source is live only and cannot replay');
        return source.command(request.params);
      case 'getTimeline':
        if (!source.timeline) throw new Error('this source has no recording');
        return source.timeline(request.params);
      case 'getShiftSummary':
        if (!source.shiftSummary) throw new Error('this source has no recording to summarise');
        return source.shiftSummary(request.params);
      case 'listRecordings':
        return source.recordings?.() ?? [];
      case 'exportCsv':
        if (!source.exportCsv) throw new Error('this source has no recording to export from');
        // Each chunk waits for the view to take the last ones, where the transport can tell.
        return source.exportCsv(request.params, (data) => {
          send({ type: 'chunk', id: request.id, data });
          return endpoint.whenWritable?.();
        });
      case 'exportAlarmJournal':
        if (!source.exportAlarmJournal) throw new Error('this source has no recording to export from');
        return source.exportAlarmJournal(request.params, (data) => {
          send({ type: 'chunk', id: request.id, data });
          return endpoint.whenWritable?.();
        });
      case 'getTrends':
        if (!source.trends) throw new Error('this source has no recording to chart');
        return source.trends(request.params);
      case 'getChart':
        if (!source.chart) throw new Error('this source has no recording to chart');
        return source.chart(request.params);
      case 'getAlarms':
        if (!source.alarms) throw new Error('this source has no alarms');
        return source.alarms();
      case 'alarmAction':
        if (!source.alarmAction) throw new Error('alarms can be acted on only live');
        return source.alarmAction(request.params);
      case 'openTopicExplorer':
        if (!source.openTopicExplorer) throw new Error('this source has no brokers to explore');
        return source.openTopicExplorer(request.params.filter);
      case 'closeTopicExplorer':
        return source.closeTopicExplorer?.() ?? { open: false };
      case 'getTopicTree':
        if (!source.topicTree) throw new Error('this source has no brokers to explore');
        return source.topicTree(request.params);
      case 'getPlantEditor':
        if (!source.plantEditor) throw new Error('the plant file is not open for editing (start with twinline serve --plant FILE --edit)');
        return source.plantEditor();
      case 'editPlant':
        if (!source.editPlant) throw new Error('the plant file is not open for editing (start with twinline serve --plant FILE --edit)');
        return source.editPlant(request.params);
      case 'listModelFiles':
        if (!source.modelFiles) throw new Error('the plant file is not open for editing (start with twinline serve --plant FILE --edit)');
        return source.modelFiles();
      case 'uploadModelFile':
        if (!source.uploadModelFile) throw new Error('the plant file is not open for editing (start with twinline serve --plant FILE --edit)');
        return source.uploadModelFile(request.params);
      case 'getTours':
        if (!source.tours) throw new Error('this view has no tours file');
        return source.tours();
      case 'saveTours':
        if (!source.saveTours) throw new Error('this view has no tours file to save to');
        return source.saveTours(request.params);
      case 'getAnnotations':
        return source.annotations ? source.annotations(request.params) : { annotations: [], canAdd: false };
      case 'addAnnotation':
        if (!source.addAnnotation) throw new Error('annotations can be added only to a live host that records');
        return source.addAnnotation(request.params);
      case 'saveIncident':
        if (!source.saveIncident) throw new Error('this view has no recording to package');
        return source.saveIncident(request.params);
    }
  };

  const stopListening = endpoint.onMessage((raw) => {
    // Measured before parsing, in bytes, so an oversized message is refused unread.
    if (typeof raw === 'string' && utf8Length(raw) > maxViewMessageBytes) {
      send({ type: 'response', id: null, ok: false, error: { code: 'invalidMessage', message: `message of ${raw.length} bytes exceeds ${maxViewMessageBytes}` } });
      return;
    }
    const message = typeof raw === 'string' ? parseJson(raw) : raw;
    const parsed = viewMessageSchema.safeParse(message);
    if (!parsed.success) {
      const id = idOf(message);
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');
      send({ type: 'response', id, ok: false, error: { code: 'invalidMessage', message: detail } });
      return;
    }
    const id = parsed.data.id;
    const fail = (error: unknown) => send({ type: 'response', id, ok: false, error: { code: 'internal', message: describeError(error) } });
    try {
      const result = answer(parsed.data);
      if (result instanceof Promise) result.then((value) => send({ type: 'response', id, ok: true, result: value }), fail);
      else send({ type: 'response', id, ok: true, result });
    } catch (error) {
      fail(error);
    }
  });

  function end(): void {
    if (ended) return;
    ended = true;
    stopListening();
    stopClose();
    for (const stream of [...subscriptions.keys()]) unsubscribe(stream);
    try {
      source.dispose?.();
    } catch (error) {
      report(`releasing a view's player failed: ${describeError(error)}`);
    }
  }
  const stopClose = endpoint.onClose(end);
  send({ type: 'hello', protocolVersion });
  return end;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The request id of a message that failed validation, when it has a usable one, so the caller's promise settles. */
function idOf(message: unknown): number | null {
  if (message && typeof message === 'object' && 'id' in message) {
    const id = (message as { id: unknown }).id;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
  }
  return null;
}

/** What a live-only source reports as its player: always live, nothing to replay. */
async function livePlayerState(source: TwinlineSource): Promise<PlayerState> {
  const now = (await source.snapshot()).time;
  return { mode: 'live', time: now, playing: true, speed: 1, range: { start: now, end: now }, loop: null, capabilities: { live: true, replay: false }, recording: null, replaying: null, sessionFiles: 0, problem: null };
}
