import type { TopicDetail, TopicExplorerLimits, TopicExplorerTotals, TopicPayloadView } from '../../common/topic-explorer.ts';

/** Most lines of one payload printed. */
const maxPayloadLines = 12;
/** Most characters of one payload line printed. */
const maxLineCharacters = 160;
/** Most payload bytes printed as hex. */
const maxHexBytes = 64;

function clip(line: string): string {
  return line.length > maxLineCharacters ? `${line.slice(0, maxLineCharacters - 1)}…` : line;
}

function clipLines(lines: string[]): string[] {
  const shown = lines.slice(0, maxPayloadLines).map(clip);
  if (lines.length > maxPayloadLines) shown.push(`… ${lines.length - maxPayloadLines} more lines`);
  return shown;
}

/** A payload as lines for a terminal: JSON pretty-printed, Sparkplug metrics one a line, binary as hex, all truncated. */
export function payloadLines(payload: TopicPayloadView, size: number): string[] {
  switch (payload.kind) {
    case 'empty':
      return ['(empty)'];
    case 'notKept':
      return [`(${size} bytes, not kept: ${payload.reason})`];
    case 'json':
      return clipLines(JSON.stringify(JSON.parse(payload.text), null, 2).split('\n'));
    case 'text':
      return clipLines([...payload.text.split('\n'), ...(payload.truncated ? [`… (${size} bytes in all)`] : [])]);
    case 'binary': {
      const hex = payload.hex.slice(0, maxHexBytes * 2).replace(/(..)(?!$)/g, '$1 ');
      return [`hex ${hex}${payload.hex.length > maxHexBytes * 2 || payload.truncated ? ` … (${size} bytes)` : ''}`];
    }
    case 'sparkplug':
      return clipLines([
        `Sparkplug B${payload.seq === null ? '' : ` seq ${payload.seq}`}${payload.timestamp === null ? '' : ` at ${new Date(payload.timestamp).toISOString()}`}`,
        ...payload.metrics.map((metric) => `${metric.name || `alias ${metric.alias ?? '?'}`} = ${JSON.stringify(metric.value)}${metric.boundSignals.length > 0 ? `  [bound: ${metric.boundSignals.join(', ')}]` : ''}`),
        ...(payload.more > 0 ? [`… ${payload.more} more metrics`] : []),
      ]);
  }
}

function rateText(rate: number): string {
  return rate >= 10 ? `${Math.round(rate)}/s` : `${rate.toFixed(1)}/s`;
}

/** The topics as an indented tree, each with its rate, count, flags and last payload; then what was dropped. */
export function formatTopicTree(details: readonly TopicDetail[], totals: TopicExplorerTotals, limits: TopicExplorerLimits, seconds: number): string {
  const lines: string[] = [];
  let previous: string[] = [];
  let previousBroker: string | undefined;
  const brokers = new Set(details.map((detail) => detail.broker));
  for (const detail of details) {
    if (detail.broker !== previousBroker && brokers.size > 1) {
      lines.push(`broker ${detail.broker}`);
      previous = [];
    }
    previousBroker = detail.broker;
    const indent = brokers.size > 1 ? '  ' : '';
    const levels = detail.topic.split('/');
    let shared = 0;
    while (shared < levels.length - 1 && shared < previous.length && previous[shared] === levels[shared]) shared++;
    for (let depth = shared; depth < levels.length - 1; depth++) lines.push(`${indent}${'  '.repeat(depth)}${levels[depth]}/`);
    const flags = [detail.retained ? 'retained' : '', detail.boundSignals.length > 0 ? `bound: ${detail.boundSignals.join(', ')}` : ''].filter((flag) => flag !== '');
    const depth = levels.length - 1;
    lines.push(`${indent}${'  '.repeat(depth)}${levels[depth]}  ${rateText(detail.rate)}, ${detail.messages} message${detail.messages === 1 ? '' : 's'}, ${detail.size} bytes${flags.length > 0 ? `  [${flags.join('; ')}]` : ''}`);
    for (const line of payloadLines(detail.payload, detail.size)) lines.push(`${indent}${'  '.repeat(depth + 2)}${line}`);
    previous = levels;
  }
  lines.push('');
  lines.push(`${totals.topics} topics, ${totals.messages} messages in ${seconds} s; ${totals.payloadBytesKept} payload bytes kept`);
  if (totals.droppedMessages > 0) lines.push(`dropped: ${totals.droppedMessages} messages on topics beyond the cap of ${limits.maxTopics} topics (or too long to keep)`);
  if (totals.droppedPayloads > 0) lines.push(`dropped: ${totals.droppedPayloads} payloads beyond the cap of ${limits.maxTotalPayloadBytes} payload bytes`);
  return `${lines.join('\n')}\n`;
}
