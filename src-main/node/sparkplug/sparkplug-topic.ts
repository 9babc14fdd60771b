/** The Sparkplug B namespace's first topic level. */
export const sparkplugNamespace = 'spBv1.0';

/** Message types of an edge node and its devices. */
export type SparkplugMessageType = 'NBIRTH' | 'NDEATH' | 'DBIRTH' | 'DDEATH' | 'NDATA' | 'DDATA' | 'NCMD' | 'DCMD';

const messageTypes = new Set<string>(['NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD']);
const deviceTypes = new Set<string>(['DBIRTH', 'DDEATH', 'DDATA', 'DCMD']);

/** What a Sparkplug topic names. */
export type SparkplugTopic =
  | { kind: 'state'; hostId: string }
  | { kind: 'edge'; type: SparkplugMessageType; group: string; node: string; device: string | undefined };

/**
 * Reads a topic of the Sparkplug B namespace: `spBv1.0/STATE/<host>` or
 * `spBv1.0/<group>/<type>/<node>[/<device>]`. Undefined when it is not one (a device message
 * without a device, a node message with one, an unknown type).
 */
export function parseSparkplugTopic(topic: string): SparkplugTopic | undefined {
  const levels = topic.split('/');
  if (levels[0] !== sparkplugNamespace) return undefined;
  if (levels[1] === 'STATE') return levels.length === 3 && levels[2] !== '' ? { kind: 'state', hostId: levels[2]! } : undefined;
  if (levels.length !== 4 && levels.length !== 5) return undefined;
  const [, group, type, node, device] = levels as [string, string, string, string, string | undefined];
  if (group === '' || node === '' || device === '' || !messageTypes.has(type)) return undefined;
  if (deviceTypes.has(type) !== (device !== undefined)) return undefined;
  return { kind: 'edge', type: type as SparkplugMessageType, group, node, device };
}

/** The topic of the host application's STATE messages. */
export function stateTopic(hostId: string): string {
  return `${sparkplugNamespace}/STATE/${hostId}`;
}

/** The topic of a message to or from an edge node (no device) or one of its devices. */
export function edgeTopic(group: string, type: SparkplugMessageType, node: string, device?: string): string {
  return device === undefined ? `${sparkplugNamespace}/${group}/${type}/${node}` : `${sparkplugNamespace}/${group}/${type}/${node}/${device}`;
}
