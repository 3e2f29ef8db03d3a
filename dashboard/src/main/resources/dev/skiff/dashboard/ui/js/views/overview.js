// Overview: nodes with capacity, what pods request of them and what they use; pods by phase;
// the latest warnings.

import { get, watchCollection, collectionPath } from '../api.js';
import { h, table, panel, badge, throttled, replace } from '../dom.js';
import { quantity, cpu, memory, age, percent } from '../format.js';
import { podRequest, terminated } from '../pod-status.js';
import { deploymentRollout } from './workloads.js';

const PHASES = ['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown'];
const METRICS_EVERY_MS = 15000;
const WARNINGS_SHOWN = 10;

export function mount(root, { namespace, signal, onError }) {
  let nodes = [];
  let pods = [];
  let warnings = [];
  let usage = null;
  const nodesEl = h('div');
  const podsEl = h('div');
  const warningsEl = h('div');
  const deploymentsEl = h('div');
  let deployments = [];
  root.append(panel('Nodes', nodesEl), panel('Pods', podsEl), panel('Deployments', deploymentsEl),
    panel('Recent warnings', warningsEl));

  const render = throttled(() => {
    replace(nodesEl, nodeTable(nodes, pods, usage));
    const shown = namespace ? pods.filter((p) => p.metadata.namespace === namespace) : pods;
    replace(podsEl, phaseCards(shown));
    replace(warningsEl, warningTable(warnings));
    replace(deploymentsEl, deploymentTable(deployments));
  });

  watchCollection('/api/v1/nodes', { signal, onError, onChange: (x) => { nodes = x; render(); } });
  // Allocation counts every pod on a node, whatever the namespace filter.
  watchCollection('/api/v1/pods', { signal, onError, onChange: (x) => { pods = x; render(); } });
  watchCollection(`${collectionPath('', 'v1', 'events', namespace)}?fieldSelector=type%3DWarning`,
    { signal, onError, onChange: (x) => { warnings = x; render(); } });
  watchCollection(collectionPath('apps', 'v1', 'deployments', namespace),
    { signal, onError, onChange: (x) => { deployments = x; render(); } });

  (async () => {
    while (!signal.aborted) {
      try {
        const list = await get('/apis/metrics.k8s.io/v1beta1/nodes', { signal });
        usage = new Map(list.items.map((m) => [m.metadata.name, m.usage]));
      } catch {
        // Not served (no metrics API) or not allowed: usage shows as unknown, never guessed.
        usage = null;
      }
      render();
      await new Promise((r) => setTimeout(r, METRICS_EVERY_MS));
    }
  })();
}

function readiness(node) {
  const ready = (node.status?.conditions || []).find((c) => c.type === 'Ready');
  const text = ready?.status === 'True' ? 'Ready' : 'NotReady';
  const shown = node.spec?.unschedulable ? `${text},SchedulingDisabled` : text;
  return badge(shown, text === 'Ready' && !node.spec?.unschedulable ? 'ok' : 'bad');
}

function share(requested, allocatable, format) {
  const p = percent(requested, allocatable);
  return h('td', { class: 'num' }, `${format(requested)}${p === null ? '' : ` (${p}%)`}`,
    p === null ? null : h('meter', { min: 0, max: 100, low: 70, high: 90, optimum: 0, value: Math.min(p, 100) }));
}

function nodeTable(nodes, pods, usage) {
  const rows = [...nodes].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).map((n) => {
    const name = n.metadata.name;
    const mine = pods.filter((p) => p.spec.nodeName === name && !terminated(p));
    const alloc = n.status?.allocatable || {};
    const cap = n.status?.capacity || {};
    const sum = (r) => mine.reduce((s, p) => s + podRequest(p, r), 0);
    const used = usage?.get(name);
    return h('tr', { 'data-name': name },
      h('td', {}, name),
      h('td', {}, readiness(n)),
      h('td', { class: 'num' }, cpu(quantity(cap.cpu))),
      share(sum('cpu'), quantity(alloc.cpu), cpu),
      h('td', { class: 'num', 'data-usage': 'cpu' }, used ? cpu(quantity(used.cpu)) : '—'),
      h('td', { class: 'num' }, memory(quantity(cap.memory))),
      share(sum('memory'), quantity(alloc.memory), memory),
      h('td', { class: 'num', 'data-usage': 'memory' }, used ? memory(quantity(used.memory)) : '—'),
      h('td', { class: 'num', 'data-pods': '' }, `${mine.length}/${alloc.pods ?? '—'}`),
      h('td', {}, age(n.metadata.creationTimestamp)));
  });
  return table(['Name', 'Status', 'CPU', 'CPU requests', 'CPU usage', 'Memory',
    'Memory requests', 'Memory usage', 'Pods', 'Age'], rows, 'No nodes have registered.');
}

function phaseCards(pods) {
  const counts = Object.fromEntries(PHASES.map((p) => [p, 0]));
  for (const p of pods) {
    const phase = p.status?.phase;
    counts[PHASES.includes(phase) ? phase : 'Unknown'] += 1;
  }
  return h('div', { class: 'cards' }, PHASES.map((phase) =>
    h('div', { class: 'card', 'data-phase': phase },
      h('div', { class: 'value' }, counts[phase]), h('div', { class: 'label' }, phase))));
}

function lastSeen(e) {
  return e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata.creationTimestamp;
}

function warningTable(events) {
  const latest = [...events]
    .sort((a, b) => Date.parse(lastSeen(b)) - Date.parse(lastSeen(a)))
    .slice(0, WARNINGS_SHOWN);
  const rows = latest.map((e) => h('tr', {},
    h('td', {}, age(lastSeen(e))),
    h('td', {}, e.metadata.namespace),
    h('td', {}, `${(e.involvedObject?.kind || '').toLowerCase()}/${e.involvedObject?.name || ''}`),
    h('td', {}, e.reason || ''),
    h('td', {}, e.message || '')));
  return table(['Last seen', 'Namespace', 'Object', 'Reason', 'Message'], rows, 'No warnings.');
}

function deploymentTable(deployments) {
  const rows = [...deployments]
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))
    .map((d) => {
      const [state, tone] = deploymentRollout(d);
      return h('tr', { 'data-name': d.metadata.name, 'data-namespace': d.metadata.namespace },
        h('td', {}, d.metadata.name),
        h('td', {}, d.metadata.namespace),
        h('td', { class: 'num', 'data-column': 'Ready' }, `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`),
        h('td', {}, badge(state, tone)),
        h('td', {}, age(d.metadata.creationTimestamp)));
    });
  return table(['Name', 'Namespace', 'Ready', 'Rollout', 'Age'], rows, 'No Deployments.');
}
