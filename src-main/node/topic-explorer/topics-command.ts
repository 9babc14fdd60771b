import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveBrokers, type BrokerEndpoint } from '../../common/resolve-brokers.ts';
import { isTopicFilter, type TopicDetail } from '../../common/topic-explorer.ts';
import { loadPlantFile } from '../load-plant-file.ts';
import { parseBrokerArguments } from '../twinline-host.ts';
import { formatTopicTree } from './format-topic-tree.ts';
import { signalSources, type SignalSource } from './topic-bindings.ts';
import { TopicCollector } from './topic-collector.ts';

/** Usage of `twinline topics`, for the command line's help. */
export const topicsUsage = `  twinline topics --broker URL [--filter F] [--seconds N] [--json]
  twinline topics --plant FILE [--broker-id ID] [--broker ID=URL]...
                                      every topic seen in N seconds (default 5) as a tree with
                                      rates, retained and bound marks and last payloads (JSON
                                      pretty-printed, Sparkplug B decoded, binary as hex); with
                                      --plant, the plant's brokers (TLS, credentials) and the
                                      topics its signals read; --max-topics N caps what is kept
                                      (default 20000; more are counted as dropped)
`;

/** Longest a listen may last, in seconds. */
const maxSeconds = 3600;

/** The brokers to listen to and the plant signals to mark topics with. */
function targetsOf(values: { broker?: string[]; plant?: string; 'broker-id'?: string }): { brokers: BrokerEndpoint[]; sources: SignalSource[] } {
  if (values.plant === undefined) {
    const urls = parseBrokerArguments(values.broker ?? []);
    const url = urls[''];
    if (url === undefined || Object.keys(urls).length !== 1) throw new Error('twinline topics needs --broker URL (or --plant FILE, with --broker ID=URL for brokers it gives no url)');
    return { brokers: [{ id: 'broker', url, protocol: 4 }], sources: [] };
  }
  const loaded = loadPlantFile(values.plant, { brokerUrls: parseBrokerArguments(values.broker ?? []) });
  const { brokers, missing } = resolveBrokers(loaded.plant, parseBrokerArguments(values.broker ?? []), dirname(loaded.file));
  const chosen = values['broker-id'] === undefined ? brokers : brokers.filter((broker) => broker.id === values['broker-id']);
  if (values['broker-id'] !== undefined && chosen.length === 0) {
    throw new Error(missing.includes(values['broker-id']) ? `broker "${values['broker-id']}" has no url: give --broker ${values['broker-id']}=URL` : `the plant has no broker "${values['broker-id']}"`);
  }
  if (chosen.length === 0) throw new Error(`no broker of the plant has a url: give --broker ID=URL for ${missing.map((id) => `"${id}"`).join(', ')}`);
  return { brokers: chosen, sources: signalSources(loaded.plant) };
}

/** `twinline topics`: listens for a while with the explorer's own clients, then prints every topic seen. */
export async function topicsCommand(args: string[], write: (text: string) => void, warn: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      broker: { type: 'string', multiple: true },
      plant: { type: 'string' },
      'broker-id': { type: 'string' },
      filter: { type: 'string', default: '#' },
      seconds: { type: 'string', default: '5' },
      'max-topics': { type: 'string', default: '20000' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    write(topicsUsage);
    return 0;
  }
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > maxSeconds) throw new Error(`--seconds must be a number above 0 and at most ${maxSeconds}, not "${values.seconds}"`);
  const maxTopics = Number(values['max-topics']);
  if (!Number.isInteger(maxTopics) || maxTopics < 1 || maxTopics > 1_000_000) throw new Error(`--max-topics must be a whole number from 1 to 1000000, not "${values['max-topics']}"`);
  if (!isTopicFilter(values.filter) || values.filter.length > 1024) throw new Error(`--filter must be an MQTT topic filter such as "#" or "plant/+/temperature", not "${values.filter}"`);
  const { brokers, sources } = targetsOf(values);
  const collector = new TopicCollector({ brokers, sources, limits: { maxTopics }, log: warn });
  try {
    await collector.subscribe([values.filter]);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const now = Date.now();
    const details: TopicDetail[] = [];
    for (const { broker, topic } of collector.store.topics()) {
      const detail = collector.store.detail(broker, topic, now, broker === brokers[0]!.id);
      if (detail) details.push(detail);
    }
    const states = collector.brokerStates();
    const totals = collector.store.counts();
    if (values.json) write(`${JSON.stringify({ seconds, filter: values.filter, limits: collector.store.bounds, totals, brokers: states, topics: details }, null, 2)}\n`);
    else write(formatTopicTree(details, totals, collector.store.bounds, seconds));
    const unreachable = states.filter((state) => state.state !== 'connected');
    for (const state of unreachable) warn(`broker "${state.broker}" is ${state.state}${state.lastError === undefined ? '' : `: ${state.lastError}`}`);
    return unreachable.length > 0 ? 1 : 0;
  } finally {
    await collector.stop();
  }
}
