// Services with their ports and the endpoints behind them.

import { watchCollection, collectionPath } from '../api.js';
import { h, table, panel, throttled, replace } from '../dom.js';
import { age } from '../format.js';

export function mount(root, { namespace, signal, onError }) {
  const body = h('div');
  root.append(panel('Services', body));
  let services = [];
  let endpoints = new Map();
  const render = throttled(() => replace(body, serviceTable(services, endpoints)));
  render();
  watchCollection(collectionPath('', 'v1', 'services', namespace),
    { signal, onError, onChange: (x) => { services = x; render(); } });
  watchCollection(collectionPath('', 'v1', 'endpoints', namespace), {
    signal, onError,
    onChange: (x) => { endpoints = new Map(x.map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e])); render(); },
  });
}

function ports(svc) {
  return (svc.spec.ports || []).map((p) =>
    `${p.name ? `${p.name}:` : ''}${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol || 'TCP'}`).join(', ');
}

function endpointCell(ep) {
  if (!ep) return h('span', { class: 'empty' }, '<none>');
  const ready = [];
  let notReady = 0;
  for (const subset of ep.subsets || []) {
    const portList = (subset.ports || []).map((p) => p.port);
    for (const a of subset.addresses || []) {
      ready.push(portList.length ? portList.map((p) => `${a.ip}:${p}`).join(', ') : a.ip);
    }
    notReady += (subset.notReadyAddresses || []).length;
  }
  return h('span', {}, ready.length ? ready.join(', ') : '<none>', notReady ? ` (+${notReady} not ready)` : '');
}

function serviceTable(services, endpoints) {
  const rows = [...services]
    .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))
    .map((s) => h('tr', { 'data-name': s.metadata.name, 'data-namespace': s.metadata.namespace },
      h('td', {}, s.metadata.name),
      h('td', {}, s.metadata.namespace),
      h('td', {}, s.spec.type || 'ClusterIP'),
      h('td', {}, s.spec.clusterIP || '<none>'),
      h('td', {}, ports(s)),
      h('td', { 'data-column': 'Endpoints' }, endpointCell(endpoints.get(`${s.metadata.namespace}/${s.metadata.name}`))),
      h('td', {}, age(s.metadata.creationTimestamp))));
  return table(['Name', 'Namespace', 'Type', 'Cluster IP', 'Ports', 'Endpoints', 'Age'], rows, 'No services.');
}
