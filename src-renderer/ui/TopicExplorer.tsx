import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import { create } from 'zustand';
import type { PlantDescription } from '../../src-main/common/contract.ts';
import { proposeJsonBinding, proposeSparkplugBinding, type BindingProposal, type JsonStep } from '../../src-main/common/propose-binding.ts';
import { plantBrokers } from '../../src-main/common/resolve-brokers.ts';
import type { TopicChild, TopicDetail, TopicListing, TopicTreeView } from '../../src-main/common/topic-explorer.ts';
import { currentHost } from '../host-link.ts';
import { reportProblem } from '../state/view-store.ts';
import { BindProposalButton, useTopicDragProps } from '../edit/TopicBinding.tsx';

/** The id of the topic explorer panel, for the controls that open it. */
export const topicExplorerId = 'topic-explorer';

/** How often the open explorer asks the host for its part of the tree. */
const refreshMs = 1000;

const useTopicExplorerState = create<{ open: boolean }>(() => ({ open: false }));

/** Whether the topic explorer is open, for the controls that open it. */
export function useTopicExplorerOpen(): boolean {
  return useTopicExplorerState((state) => state.open);
}

/** Opens or closes the topic explorer (without an argument, toggles it). */
export function showTopicExplorer(open = !useTopicExplorerState.getState().open): void {
  useTopicExplorerState.setState({ open });
}

/** A tree node's key: its broker and its topic (null: the broker's root). */
type NodeAddress = { broker: string; prefix: string | null };
const keyOf = ({ broker, prefix }: NodeAddress) => `${broker}\u0000${prefix ?? '\u0001'}`;

function rateText(rate: number): string {
  return rate >= 10 ? `${Math.round(rate)}/s` : `${rate.toFixed(1)}/s`;
}

/** T opens and closes the explorer, unless the user is typing. */
function useTopicExplorerKey(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if ((event.key === 't' || event.key === 'T') && !event.ctrlKey && !event.metaKey && !event.altKey) showTopicExplorer();
      else if (event.key === 'Escape' && useTopicExplorerState.getState().open) showTopicExplorer(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** A JSON value laid out as pretty-printed JSON, each number and boolean a button that proposes its binding. */
function JsonValue({ value, steps, depth, onPick, picked }: { value: unknown; steps: JsonStep[]; depth: number; onPick: (steps: JsonStep[]) => void; picked: string | undefined }) {
  const indent = '  '.repeat(depth);
  if (typeof value === 'number' || typeof value === 'boolean') {
    const path = JSON.stringify(steps);
    return (
      <button type="button" className={`json-pick${picked === path ? ' json-picked' : ''}`} data-json-path={steps.join('.')} onClick={() => onPick(steps)} title="Propose the binding of this value">
        {String(value)}
      </button>
    );
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <>[]</>;
    return (
      <>
        {'[\n'}
        {value.map((item, index) => (
          <Fragment key={index}>
            {indent}
            {'  '}
            <JsonValue value={item} steps={[...steps, index]} depth={depth + 1} onPick={onPick} picked={picked} />
            {index < value.length - 1 ? ',\n' : '\n'}
          </Fragment>
        ))}
        {indent}]
      </>
    );
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return <>{'{}'}</>;
    return (
      <>
        {'{\n'}
        {entries.map(([key, item], index) => (
          <Fragment key={key}>
            {indent}
            {'  '}
            {JSON.stringify(key)}:{' '}
            <JsonValue value={item} steps={[...steps, key]} depth={depth + 1} onPick={onPick} picked={picked} />
            {index < entries.length - 1 ? ',\n' : '\n'}
          </Fragment>
        ))}
        {indent}
        {'}'}
      </>
    );
  }
  return <>{JSON.stringify(value)}</>;
}

/** The proposed binding of a picked value: the YAML to paste, or why it cannot be bound. */
function ProposalView({ proposal }: { proposal: BindingProposal }) {
  const [copied, setCopied] = useState(false);
  if (!proposal.ok) return <p className="topic-proposal topic-proposal-refused">{proposal.reason}</p>;
  const copy = () => {
    navigator.clipboard.writeText(proposal.yaml).then(
      () => setCopied(true),
      (error: unknown) => reportProblem(`The binding could not be copied: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  return (
    <div className="topic-proposal" aria-label="Proposed binding">
      <div className="topic-proposal-head">
        Add to the machine's <code>signals</code>:
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre data-proposed-binding>{proposal.yaml}</pre>
      <BindProposalButton proposal={proposal} />
    </div>
  );
}

/** The selected topic: counts, bound signals, and its last payload with values to pick. */
function TopicDetailView({ detail }: { detail: TopicDetail }) {
  const [proposal, setProposal] = useState<{ picked: string; proposal: BindingProposal } | undefined>(undefined);
  const payload = detail.payload;
  const document = useMemo(() => {
    if (payload.kind !== 'json') return undefined;
    try {
      return { value: JSON.parse(payload.text) as unknown };
    } catch (error) {
      // The host sends only text that parsed there; this would be a fault on the way.
      reportProblem(`The payload of ${detail.topic} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }, [payload, detail.topic]);
  const broker = detail.firstBroker ? undefined : detail.broker;
  useEffect(() => setProposal(undefined), [detail.broker, detail.topic]);
  const pickJson = (steps: JsonStep[]) => payload.kind === 'json' && setProposal({ picked: JSON.stringify(steps), proposal: proposeJsonBinding(broker, detail.topic, payload.text, steps) });
  return (
    <section className="topic-detail" aria-label="Selected topic">
      <h3 data-selected-topic={detail.topic}>{detail.topic}</h3>
      <p className="topic-facts">
        {detail.messages} message{detail.messages === 1 ? '' : 's'} · {rateText(detail.rate)} · {detail.size} bytes{detail.retained ? ' · retained' : ''}
      </p>
      {detail.boundSignals.length > 0 ? (
        <p className="topic-bound-signals" data-bound-signals={detail.boundSignals.join(' ')}>
          Read by {detail.boundSignals.join(', ')}
        </p>
      ) : (
        <p className="topic-facts">No signal reads this topic.</p>
      )}
      {payload.kind === 'json' && document ? (
        <>
          <p className="topic-hint">Click a number to propose its binding.</p>
          <pre className="topic-payload" data-payload-kind="json">
            <JsonValue value={document.value} steps={[]} depth={0} onPick={pickJson} picked={proposal?.picked} />
          </pre>
        </>
      ) : payload.kind === 'sparkplug' ? (
        <table className="topic-metrics" data-payload-kind="sparkplug">
          <tbody>
            {payload.metrics.map((metric, index) => (
              <tr key={`${metric.name}-${index}`}>
                <th>{metric.name || `alias ${metric.alias ?? '?'}`}</th>
                <td>
                  {typeof metric.value === 'number' || typeof metric.value === 'boolean' ? (
                    <button type="button" className="json-pick" onClick={() => detail.sparkplug && setProposal({ picked: metric.name, proposal: proposeSparkplugBinding(broker, detail.sparkplug, metric.name, metric.value) })}>
                      {String(metric.value)}
                    </button>
                  ) : (
                    JSON.stringify(metric.value)
                  )}
                </td>
                <td>{metric.boundSignals.length > 0 ? <span className="topic-bound">bound</span> : null}</td>
              </tr>
            ))}
            {payload.more > 0 ? (
              <tr>
                <td colSpan={3}>… {payload.more} more metrics</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      ) : (
        <pre className="topic-payload" data-payload-kind={payload.kind}>
          {payload.kind === 'binary'
            ? `${payload.hex.replace(/(..)(?!$)/g, '$1 ')}${payload.truncated ? ' …' : ''}`
            : payload.kind === 'text'
              ? `${payload.text}${payload.truncated ? ' …' : ''}`
              : payload.kind === 'notKept'
                ? `(${detail.size} bytes, not kept: ${payload.reason})`
                : '(empty)'}
        </pre>
      )}
      {proposal ? <ProposalView proposal={proposal.proposal} /> : null}
    </section>
  );
}

/** One level of the tree and, when expanded, its children. */
function TopicRow({ child, broker, depth, listings, expanded, toggle, select, selected }: {
  child: TopicChild;
  broker: string;
  depth: number;
  listings: Map<string, TopicListing>;
  expanded: Set<string>;
  toggle: (address: NodeAddress) => void;
  select: (address: { broker: string; topic: string }) => void;
  selected: { broker: string; topic: string } | null;
}) {
  const address = { broker, prefix: child.topic };
  const isOpen = expanded.has(keyOf(address));
  const isSelected = selected?.broker === broker && selected.topic === child.topic;
  // In edit mode a topic is dragged onto a machine to bind it.
  const dragProps = useTopicDragProps(broker, child.topic, child.hasMessage);
  return (
    <li>
      <div className={`topic-row${isSelected ? ' topic-row-selected' : ''}`} data-topic={child.topic} data-bound={child.bound > 0 ? child.bound : undefined} {...dragProps}>
        <span className={`topic-indent topic-depth-${Math.min(depth, 12)}`} />
        {child.hasChildren ? (
          <button type="button" className="topic-toggle" aria-expanded={isOpen} aria-label={`${isOpen ? 'Collapse' : 'Expand'} ${child.topic}`} onClick={() => toggle(address)}>
            {isOpen ? '▾' : '▸'}
          </button>
        ) : (
          <span className="topic-toggle" />
        )}
        <button type="button" className="topic-name" onClick={() => (child.hasMessage ? select({ broker, topic: child.topic }) : toggle(address))} title={child.topic}>
          {child.name === '' ? '(empty)' : child.name}
        </button>
        {child.bound > 0 ? <span className="topic-bound" title={`${child.bound} topic${child.bound === 1 ? '' : 's'} read by plant signals`}>bound</span> : null}
        {child.retained ? <span className="topic-retained">retained</span> : null}
        <span className="topic-rate">{rateText(child.rate)}</span>
        <span className="topic-count">{child.hasChildren ? `${child.topics} topics` : `${child.messages}`}</span>
      </div>
      {isOpen ? <TopicChildren address={address} depth={depth + 1} listings={listings} expanded={expanded} toggle={toggle} select={select} selected={selected} /> : null}
    </li>
  );
}

function TopicChildren({ address, depth, listings, expanded, toggle, select, selected }: {
  address: NodeAddress;
  depth: number;
  listings: Map<string, TopicListing>;
  expanded: Set<string>;
  toggle: (address: NodeAddress) => void;
  select: (address: { broker: string; topic: string }) => void;
  selected: { broker: string; topic: string } | null;
}) {
  const listing = listings.get(keyOf(address));
  if (!listing) return null;
  return (
    <ul className="topic-children">
      {listing.children.map((child) => (
        <TopicRow key={child.topic} child={child} broker={address.broker} depth={depth} listings={listings} expanded={expanded} toggle={toggle} select={select} selected={selected} />
      ))}
      {listing.more > 0 ? <li className="topic-more">… {listing.more} more</li> : null}
    </ul>
  );
}

/**
 * The topic explorer: every topic on the plant's brokers as a tree with rates and bound marks, the
 * selected topic's last payload, and the binding a picked value needs. Open, the host subscribes
 * with the filter; closed, nothing is subscribed.
 */
export function TopicExplorer({ description }: { description: PlantDescription }) {
  useTopicExplorerKey();
  const open = useTopicExplorerOpen();
  const brokers = useMemo(() => plantBrokers(description.plant).map((broker) => broker.id), [description]);
  const [filter, setFilter] = useState('#');
  const [draftFilter, setDraftFilter] = useState('#');
  const [expanded, setExpanded] = useState<NodeAddress[]>([]);
  const [selected, setSelected] = useState<{ broker: string; topic: string } | null>(null);
  const [view, setView] = useState<TopicTreeView | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  // Open while shown, with the chosen filter; closed when hidden or gone.
  useEffect(() => {
    if (!open) return;
    const host = currentHost();
    host?.request('openTopicExplorer', { filter }).catch((reason: unknown) => setError(`The topic explorer could not open: ${reason instanceof Error ? reason.message : String(reason)}`));
    return () => {
      host?.request('closeTopicExplorer', {}).catch((reason: unknown) => reportProblem(`The topic explorer could not close: ${reason instanceof Error ? reason.message : String(reason)}`));
      setView(undefined);
    };
  }, [open, filter]);

  const roots = useMemo(() => brokers.map((broker) => ({ broker, prefix: null })), [brokers]);
  useEffect(() => {
    if (!open) return;
    let stopped = false;
    const refresh = () => {
      currentHost()
        ?.request('getTopicTree', { expanded: [...roots, ...expanded].slice(0, 64), selected })
        .then(
          (answer) => {
            if (stopped) return;
            setView(answer);
            setError(undefined);
          },
          (reason: unknown) => !stopped && setError(`The topic explorer did not answer: ${reason instanceof Error ? reason.message : String(reason)}`),
        );
    };
    refresh();
    const timer = setInterval(refresh, refreshMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [open, roots, expanded, selected, filter]);

  const toggle = useCallback((address: NodeAddress) => {
    setExpanded((current) => (current.some((entry) => keyOf(entry) === keyOf(address)) ? current.filter((entry) => keyOf(entry) !== keyOf(address) && !(entry.broker === address.broker && entry.prefix?.startsWith(`${address.prefix}/`))) : [...current, address]));
  }, []);
  const expandedKeys = useMemo(() => new Set(expanded.map(keyOf)), [expanded]);
  const listings = useMemo(() => new Map((view?.listings ?? []).map((listing) => [keyOf(listing), listing])), [view]);

  if (!open) return null;
  const totals = view?.totals;
  return (
    <section className="topic-explorer" id={topicExplorerId} aria-label="Topic explorer">
      <header>
        <h2>Topics</h2>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setFilter(draftFilter.trim() === '' ? '#' : draftFilter.trim());
          }}
        >
          <input aria-label="Topic filter" value={draftFilter} onChange={(event) => setDraftFilter(event.target.value)} spellCheck={false} />
        </form>
        <span className="topic-totals" data-topics={totals?.topics ?? 0} data-dropped={(totals?.droppedMessages ?? 0) + (totals?.droppedPayloads ?? 0)}>
          {totals ? `${totals.topics} topics · ${totals.messages} messages` : 'Subscribing…'}
          {totals && totals.droppedMessages > 0 ? ` · ${totals.droppedMessages} messages dropped (over ${view!.limits.maxTopics} topics)` : ''}
          {totals && totals.droppedPayloads > 0 ? ` · ${totals.droppedPayloads} payloads not kept (over ${Math.round(view!.limits.maxTotalPayloadBytes / 1048576)} MiB)` : ''}
        </span>
        <button type="button" className="close" onClick={() => showTopicExplorer(false)} aria-label="Close the topic explorer">
          ×
        </button>
      </header>
      {error ? <p className="topic-error">{error}</p> : null}
      {view?.brokers.filter((broker) => broker.state !== 'connected').map((broker) => (
        <p key={broker.broker} className="topic-error">
          Broker {broker.broker}: {broker.state}
          {broker.lastError ? ` — ${broker.lastError}` : ''}
        </p>
      ))}
      <div className="topic-body">
        <div className="topic-tree">
          {brokers.map((broker) => (
            <Fragment key={broker}>
              {brokers.length > 1 ? <h3 className="topic-broker">{broker}</h3> : null}
              <TopicChildren address={{ broker, prefix: null }} depth={0} listings={listings} expanded={expandedKeys} toggle={toggle} select={setSelected} selected={selected} />
            </Fragment>
          ))}
        </div>
        {view?.selected ? <TopicDetailView detail={view.selected} /> : <p className="topic-detail topic-hint">Select a topic to see its last payload.</p>}
      </div>
    </section>
  );
}
