// Pods: status, readiness, restarts, node and age; each links to its detail page.

import { watchCollection, collectionPath } from '../api.js';
import { h, table, panel, badge, throttled, replace } from '../dom.js';
import { age } from '../format.js';
import { podStatus, statusTone, readyCount, restarts } from '../pod-status.js';
import { deletePod } from '../actions.js';

export function mount(root, { namespace, signal, onError }) {
  const body = h('div');
  root.append(panel('Pods', body));
  let pods = [];
  const render = throttled(() => replace(body, podTable(pods)));
  render();
  watchCollection(collectionPath('', 'v1', 'pods', namespace),
    { signal, onError, onChange: (x) => { pods = x; render(); } });
}

export function podLink(pod) {
  const { namespace, name } = pod.metadata;
  return h('a', { href: `#/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}` }, name);
}

function podTable(pods) {
  const rows = [...pods]
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))
    .map((p) => {
      const status = podStatus(p);
      return h('tr', { 'data-name': p.metadata.name, 'data-namespace': p.metadata.namespace },
        h('td', {}, podLink(p)),
        h('td', {}, p.metadata.namespace),
        h('td', { class: 'num' }, readyCount(p)),
        h('td', { 'data-column': 'Status' }, badge(status, statusTone(status))),
        h('td', { class: 'num' }, restarts(p)),
        h('td', {}, p.spec.nodeName || '<none>'),
        h('td', {}, p.status?.podIP || '<none>'),
        h('td', {}, age(p.metadata.creationTimestamp)),
        h('td', { class: 'actions' },
          h('button', { type: 'button', 'data-action': 'delete', onclick: () => deletePod(p) }, 'Delete')));
    });
  return table(['Name', 'Namespace', 'Ready', 'Status', 'Restarts', 'Node', 'IP', 'Age', ''], rows, 'No pods.');
}
