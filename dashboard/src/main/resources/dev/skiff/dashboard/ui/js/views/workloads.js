// Workloads: Deployments, StatefulSets, DaemonSets, Jobs and CronJobs with their rollout state.

import { watchCollection, collectionPath } from '../api.js';
import { h, table, panel, badge, throttled, replace } from '../dom.js';
import { age } from '../format.js';
import { scale, restart } from '../actions.js';

const condition = (o, type) => (o.status?.conditions || []).find((c) => c.type === type);

/** As kubectl rollout status words it for a Deployment. */
export function deploymentRollout(d) {
  const s = d.status || {};
  const want = d.spec.replicas ?? 1;
  if ((s.observedGeneration ?? 0) < d.metadata.generation) return ['Waiting for rollout to be observed', 'warn'];
  if (condition(d, 'Progressing')?.reason === 'ProgressDeadlineExceeded') return ['Failed: progress deadline exceeded', 'bad'];
  if (d.spec.paused) return ['Paused', 'warn'];
  const updated = s.updatedReplicas ?? 0;
  if (updated < want) return [`Rolling out: ${updated} of ${want} updated`, 'warn'];
  if ((s.replicas ?? 0) > updated) return [`Rolling out: ${(s.replicas ?? 0) - updated} old replicas pending termination`, 'warn'];
  if ((s.availableReplicas ?? 0) < updated) return [`Rolling out: ${s.availableReplicas ?? 0} of ${updated} available`, 'warn'];
  return ['Complete', 'ok'];
}

function statefulSetRollout(o) {
  const s = o.status || {};
  const want = o.spec.replicas ?? 1;
  if ((s.observedGeneration ?? 0) < o.metadata.generation) return ['Waiting for rollout to be observed', 'warn'];
  if ((s.readyReplicas ?? 0) < want) return [`Rolling out: ${s.readyReplicas ?? 0} of ${want} ready`, 'warn'];
  if (o.spec.updateStrategy?.type !== 'OnDelete' && s.updateRevision && s.updateRevision !== s.currentRevision) {
    return [`Rolling out: ${s.updatedReplicas ?? 0} of ${want} updated`, 'warn'];
  }
  return ['Complete', 'ok'];
}

function daemonSetRollout(o) {
  const s = o.status || {};
  const want = s.desiredNumberScheduled ?? 0;
  if ((s.observedGeneration ?? 0) < o.metadata.generation) return ['Waiting for rollout to be observed', 'warn'];
  if ((s.updatedNumberScheduled ?? 0) < want) return [`Rolling out: ${s.updatedNumberScheduled ?? 0} of ${want} updated`, 'warn'];
  if ((s.numberAvailable ?? 0) < want) return [`Rolling out: ${s.numberAvailable ?? 0} of ${want} available`, 'warn'];
  return ['Complete', 'ok'];
}

function jobState(j) {
  if (condition(j, 'Complete')?.status === 'True') return ['Complete', 'ok'];
  if (condition(j, 'Failed')?.status === 'True') return [`Failed: ${condition(j, 'Failed').reason || ''}`, 'bad'];
  if (j.spec.suspend) return ['Suspended', 'warn'];
  return [`Running: ${j.status?.active ?? 0} active`, 'warn'];
}

const KINDS = [
  {
    label: 'Deployments', kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments', scalable: true,
    columns: ['Ready', 'Up-to-date', 'Available'],
    cells: (o) => [`${o.status?.readyReplicas ?? 0}/${o.spec.replicas ?? 1}`, o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0],
    state: deploymentRollout,
  },
  {
    label: 'StatefulSets', kind: 'StatefulSet', group: 'apps', version: 'v1', plural: 'statefulsets', scalable: true,
    columns: ['Ready', 'Up-to-date', 'Available'],
    cells: (o) => [`${o.status?.readyReplicas ?? 0}/${o.spec.replicas ?? 1}`, o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0],
    state: statefulSetRollout,
  },
  {
    label: 'DaemonSets', kind: 'DaemonSet', group: 'apps', version: 'v1', plural: 'daemonsets', scalable: false,
    columns: ['Desired', 'Ready', 'Up-to-date', 'Available'],
    cells: (o) => { const s = o.status || {}; return [s.desiredNumberScheduled ?? 0, s.numberReady ?? 0, s.updatedNumberScheduled ?? 0, s.numberAvailable ?? 0]; },
    state: daemonSetRollout,
  },
  {
    label: 'Jobs', kind: 'Job', group: 'batch', version: 'v1', plural: 'jobs', scalable: false, restartable: false,
    columns: ['Completions', 'Failed'],
    cells: (o) => [`${o.status?.succeeded ?? 0}/${o.spec.completions ?? 1}`, o.status?.failed ?? 0],
    state: jobState,
  },
  {
    label: 'CronJobs', kind: 'CronJob', group: 'batch', version: 'v1', plural: 'cronjobs', scalable: false, restartable: false,
    columns: ['Schedule', 'Active', 'Last schedule'],
    cells: (o) => [o.spec.schedule, (o.status?.active || []).length, o.status?.lastScheduleTime ? age(o.status.lastScheduleTime) : '<none>'],
    state: (o) => (o.spec.suspend ? ['Suspended', 'warn'] : ['Scheduled', 'ok']),
  },
];

export function mount(root, { namespace, signal, onError }) {
  for (const kind of KINDS) {
    const body = h('div');
    root.append(panel(kind.label, body));
    let items = [];
    const render = throttled(() => replace(body, kindTable(kind, items)));
    render();
    watchCollection(collectionPath(kind.group, kind.version, kind.plural, namespace),
      { signal, onError, onChange: (x) => { items = x; render(); } });
  }
}

function kindTable(kind, items) {
  const rows = [...items]
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))
    .map((o) => {
      const [state, tone] = kind.state(o);
      const actions = [];
      if (kind.scalable) actions.push(h('button', { type: 'button', 'data-action': 'scale', onclick: () => scale(kind, o) }, 'Scale'));
      if (kind.restartable !== false) actions.push(h('button', { type: 'button', 'data-action': 'restart', onclick: () => restart(kind, o) }, 'Restart'));
      return h('tr', { 'data-name': o.metadata.name, 'data-namespace': o.metadata.namespace },
        h('td', {}, o.metadata.name),
        h('td', {}, o.metadata.namespace),
        kind.cells(o).map((c, i) => h('td', { class: 'num', 'data-column': kind.columns[i] }, c)),
        h('td', { 'data-column': 'Rollout' }, badge(state, tone)),
        h('td', {}, age(o.metadata.creationTimestamp)),
        h('td', { class: 'actions' }, actions));
    });
  return table(['Name', 'Namespace', ...kind.columns, 'State', 'Age', ''], rows, `No ${kind.label}.`);
}
