// One pod: its facts, containers and events, and a live-following log of one container.

import { watchCollection, stream, objectPath } from '../api.js';
import { h, table, panel, badge, throttled, replace } from '../dom.js';
import { age } from '../format.js';
import { podStatus, statusTone, readyCount, restarts } from '../pod-status.js';
import { deletePod } from '../actions.js';

const LOG_TAIL_LINES = 1000;
const LOG_RETRY_MS = 3000;

export function mount(root, { signal, onError, params: [namespace, name] }) {
  const summaryEl = h('div');
  const containersEl = h('div');
  const eventsEl = h('div');
  const logEl = h('pre', { class: 'log', id: 'log' });
  const logState = h('span', { id: 'log-state', class: 'empty' });
  const containerSelect = h('select', { id: 'log-container' });
  const reconnect = h('button', { type: 'button' }, 'Reconnect');
  root.append(
    panel(`Pod ${namespace}/${name}`, summaryEl),
    panel('Containers', containersEl),
    panel('Events', eventsEl),
    panel('Logs', h('div', { class: 'toolbar' }, h('label', {}, 'Container ', containerSelect), reconnect, logState), logEl));

  let pod = null;
  let events = [];
  let following = null;
  const render = throttled(() => {
    replace(summaryEl, pod ? summary(pod) : h('p', { class: 'empty' }, 'This pod does not exist (any more).'));
    replace(containersEl, pod ? containerTable(pod) : []);
    replace(eventsEl, eventTable(events));
    const names = pod ? [...(pod.spec.initContainers || []), ...pod.spec.containers].map((c) => c.name) : [];
    const current = [...containerSelect.options].map((o) => o.value);
    if (names.join() !== current.join()) {
      const chosen = containerSelect.value;
      replace(containerSelect, names.map((n) => h('option', { value: n }, n)));
      containerSelect.value = names.includes(chosen) ? chosen : (pod.spec.containers[0]?.name ?? '');
      if (!following) follow();
    }
  });

  function follow() {
    following?.abort();
    following = new AbortController();
    const mine = following;
    signal.addEventListener('abort', () => mine.abort(), { once: true });
    logEl.textContent = '';
    const container = containerSelect.value;
    if (!container) return;
    const path = `${objectPath('', 'v1', 'pods', namespace, name)}/log`
      + `?container=${encodeURIComponent(container)}&follow=true&tailLines=${LOG_TAIL_LINES}`;
    (async () => {
      while (!mine.signal.aborted) {
        logState.textContent = 'following';
        try {
          await stream(path, (text) => {
            const atEnd = logEl.scrollTop + logEl.clientHeight >= logEl.scrollHeight - 4;
            logEl.append(text);
            if (atEnd) logEl.scrollTop = logEl.scrollHeight;
          }, mine.signal);
          logState.textContent = 'the log stream ended';
          return;
        } catch (e) {
          if (mine.signal.aborted) return;
          // Typically the container has not started yet: try again while the page is open.
          logState.textContent = e.message;
          await new Promise((r) => setTimeout(r, LOG_RETRY_MS));
        }
      }
    })();
  }
  containerSelect.addEventListener('change', follow);
  reconnect.addEventListener('click', follow);

  watchCollection(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
    { signal, onError, onChange: (x) => { pod = x[0] || null; render(); } });
  watchCollection(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`,
    { signal, onError, onChange: (x) => { events = x; render(); } });
}

function summary(pod) {
  const status = podStatus(pod);
  const facts = [
    ['Status', badge(status, statusTone(status))],
    ['Ready', readyCount(pod)],
    ['Restarts', restarts(pod)],
    ['Node', pod.spec.nodeName || '<none>'],
    ['Pod IP', pod.status?.podIP || '<none>'],
    ['QoS class', pod.status?.qosClass || ''],
    ['Created', `${age(pod.metadata.creationTimestamp)} ago`],
    ['Labels', Object.entries(pod.metadata.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ') || '<none>'],
  ];
  return h('div', {},
    h('dl', { class: 'meta' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('p', {}, h('button', { type: 'button', 'data-action': 'delete', onclick: () => deletePod(pod) }, 'Delete pod')));
}

function stateOf(c) {
  const s = c?.state || {};
  if (s.running) return [`Running since ${age(s.running.startedAt)}`, 'ok'];
  if (s.waiting) return [`Waiting: ${s.waiting.reason || ''}`, 'warn'];
  if (s.terminated) return [`Terminated: ${s.terminated.reason || ''} (exit ${s.terminated.exitCode})`, s.terminated.exitCode === 0 ? 'ok' : 'bad'];
  return ['Unknown', ''];
}

function containerTable(pod) {
  const statuses = [...(pod.status?.initContainerStatuses || []), ...(pod.status?.containerStatuses || [])];
  const all = [...(pod.spec.initContainers || []).map((c) => [c, 'init']), ...pod.spec.containers.map((c) => [c, ''])];
  const rows = all.map(([c, init]) => {
    const st = statuses.find((s) => s.name === c.name);
    const [state, tone] = stateOf(st);
    const req = c.resources?.requests || {};
    const lim = c.resources?.limits || {};
    return h('tr', { 'data-name': c.name },
      h('td', {}, c.name, init ? ' (init)' : ''),
      h('td', {}, c.image),
      h('td', {}, badge(state, tone)),
      h('td', {}, st?.ready ? 'yes' : 'no'),
      h('td', { class: 'num' }, st?.restartCount ?? 0),
      h('td', {}, ['cpu', 'memory'].map((r) => `${r}: ${req[r] ?? '—'} / ${lim[r] ?? '—'}`).join(', ')));
  });
  return table(['Name', 'Image', 'State', 'Ready', 'Restarts', 'Requests / limits'], rows);
}

function eventTable(events) {
  const when = (e) => e.lastTimestamp || e.eventTime || e.metadata.creationTimestamp;
  const rows = [...events].sort((a, b) => Date.parse(when(a)) - Date.parse(when(b))).map((e) => h('tr', {},
    h('td', {}, badge(e.type || '', e.type === 'Warning' ? 'bad' : '')),
    h('td', {}, e.reason || ''),
    h('td', {}, age(when(e))),
    h('td', { class: 'num' }, e.count ?? 1),
    h('td', {}, e.message || '')));
  return table(['Type', 'Reason', 'Age', 'Count', 'Message'], rows, 'No events.');
}
