// Pod facts as kubectl get pods shows them.

import { quantity } from './format.js';

/** The STATUS column: the most telling container reason, else the phase. */
export function podStatus(pod) {
  const st = pod.status || {};
  let reason = st.reason || st.phase || 'Unknown';
  const inits = st.initContainerStatuses || [];
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i].state || {};
    if (s.terminated && s.terminated.exitCode === 0) continue;
    if (s.terminated) {
      reason = `Init:${s.terminated.reason || `ExitCode:${s.terminated.exitCode}`}`;
    } else if (s.waiting && s.waiting.reason && s.waiting.reason !== 'PodInitializing') {
      reason = `Init:${s.waiting.reason}`;
    } else {
      reason = `Init:${i}/${(pod.spec.initContainers || []).length}`;
    }
    return pod.metadata.deletionTimestamp ? 'Terminating' : reason;
  }
  let running = false;
  for (const c of [...(st.containerStatuses || [])].reverse()) {
    const s = c.state || {};
    if (s.waiting && s.waiting.reason) reason = s.waiting.reason;
    else if (s.terminated && s.terminated.reason) reason = s.terminated.reason;
    else if (s.terminated) reason = s.terminated.signal ? `Signal:${s.terminated.signal}` : `ExitCode:${s.terminated.exitCode}`;
    else if (s.running && c.ready) running = true;
  }
  if (reason === 'Completed' && running) reason = 'Running';
  if (pod.metadata.deletionTimestamp) return st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

export function statusTone(status) {
  if (['Running', 'Succeeded', 'Completed'].includes(status)) return 'ok';
  if (['Pending', 'ContainerCreating', 'Terminating', 'PodInitializing'].includes(status) || status.startsWith('Init:')) return 'warn';
  return 'bad';
}

export function readyCount(pod) {
  const statuses = pod.status?.containerStatuses || [];
  return `${statuses.filter((c) => c.ready).length}/${(pod.spec.containers || []).length}`;
}

export function restarts(pod) {
  return (pod.status?.containerStatuses || []).reduce((n, c) => n + (c.restartCount || 0), 0);
}

export function terminated(pod) {
  return ['Succeeded', 'Failed'].includes(pod.status?.phase);
}

/**
 * What the scheduler charges a pod for a resource: the larger of its containers' sum and its
 * largest init container, plus overhead.
 */
export function podRequest(pod, resource) {
  const req = (c) => {
    const v = quantity(c.resources?.requests?.[resource]);
    return Number.isFinite(v) ? v : 0;
  };
  const sum = (pod.spec.containers || []).reduce((n, c) => n + req(c), 0);
  const init = Math.max(0, ...(pod.spec.initContainers || []).map(req));
  const overhead = quantity(pod.spec.overhead?.[resource]);
  return Math.max(sum, init) + (Number.isFinite(overhead) ? overhead : 0);
}
