/**
 * The HorizontalPodAutoscaler against a hand computation of k/k's algorithm (docs/model.md
 * "HorizontalPodAutoscaler"), and the utilisation it sees against busy time computed independently.
 *
 * Set-up: pods on node-1..4, the clients on node-5 (unschedulable, so no pod lands there), reaching the
 * Service's ClusterIP through IPVS round robin (each pod gets every n-th request), constant inter-arrival
 * and service times, no network or proxy delay, and no start-up jitter. Load is then known exactly: a
 * client of rate λ and service time s keeps λ·s cores busy (over any window that holds a whole number of
 * arrivals), split evenly. A second Service over the same pods carries a second client, which reaches it
 * through node-5's NodePort; setting its externalTrafficPolicy to Local (no pod on node-5) at a given time
 * takes that client's load away at once: a deterministic load step down. (Not internalTrafficPolicy:
 * IPVS falls back to the cluster endpoints when a node has no local one; with externalTrafficPolicy the
 * pod's SYN-ACK would carry its own address and be discarded, so no request ever reaches it.)
 */
import { describe, expect, it } from 'vitest';
import { Constant } from '../../../src/engine/distributions/constant.js';
import { autoscaler, DEFAULT_SCALE_UP } from '../../../src/model/control/hpa.js';
import type { AutoscalerSpec, PodLifecycleSpec, TimelineEvent } from '../../../src/model/control/spec.js';
import { withTimeline } from '../../../src/model/helpers/timeline-builders.js';
import type { AutoscalerResult, RunResult } from '../../../src/model/result.js';
import type { ClientSpec } from '../../../src/model/spec.js';
import { behaviour, client, cluster, dist, service } from '../fixtures.js';
import { run } from '../datapath-helpers.js';

interface Load {
  /** `web` or `web-b` (the same pods). */
  readonly service: 'web' | 'web-b';
  readonly rate: number;
}

interface HpaRun {
  readonly pods: number;
  readonly loads: readonly Load[];
  /** Service time, seconds. */
  readonly serviceTime: number;
  /** CPU request per pod, cores. */
  readonly cpu: number;
  readonly cpuShare?: number;
  readonly hpa: Partial<AutoscalerSpec>;
  readonly lifecycle?: Partial<PodLifecycleSpec>;
  readonly events?: readonly TimelineEvent[];
  readonly duration: number;
}

function hpaRun(o: HpaRun): RunResult {
  const perNode = [0, 0, 0, 0, 0];
  for (let k = 0; k < o.pods; k++) perNode[k % 4]!++;
  const clients: ClientSpec[] = o.loads.map((l, i) =>
    client({
      name: `load-${i}`,
      location: l.service === 'web' ? { kind: 'node', node: 'node-5' } : { kind: 'external', zone: null },
      target: l.service === 'web' ? { service: 'default/web', port: 80, via: 'clusterIP', nodes: [] } : { service: 'default/web-b', port: 80, via: 'nodePort', nodes: ['node-5'] },
      arrival: { kind: 'open', interarrival: new Constant(1 / l.rate, 'duration') },
    }),
  );
  const c = cluster({
    podsPerNode: perNode,
    node: (i) => (i === 4 ? { schedulable: false } : { cpu: 16 }),
    service: { type: 'ClusterIP' },
    kubeProxy: { mode: 'ipvs', ipvsScheduler: 'rr', connectionCost: dist('const(0)') },
    pod: () => ({
      behaviour: behaviour({
        serviceTime: new Constant(o.serviceTime, 'duration'),
        concurrency: 256,
        queueCapacity: 1000,
        ...(o.cpuShare !== undefined ? { cpuShare: o.cpuShare } : {}),
      }),
      requests: { cpu: o.cpu, memory: 0 },
    }),
    clients,
  });
  const spec = {
    ...c.spec,
    services: [...c.spec.services, service({ name: 'web-b', type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }] })],
  };
  const timed = withTimeline(spec, {
    events: o.events ?? [],
    lifecycle: { startup: dist('const(20s)'), ...o.lifecycle },
    autoscalers: [autoscaler({ deployment: 'default/web', maxReplicas: 12, ...o.hpa })],
  });
  return run(timed, { seed: 1, duration: o.duration, window: 15 });
}

/** The HPA's figures at its sync at time t (windows of 15 s from 0: one sync in each). */
function at(r: RunResult, t: number): { utilisation: number | null; desired: number; replicas: number } {
  const a: AutoscalerResult = r.timeSeries.autoscalers![0]!;
  const i = Math.floor(t / 15);
  return { utilisation: a.utilisation[i]!, desired: a.desired[i]!, replicas: r.timeSeries.replicas![0]!.values[i]! };
}

/**
 * The utilisation the controller computes from exact usage: Σ usage / Σ requests in whole percent (it
 * truncates); metrics-server's rounding of each pod up to a millicore adds at most 0.2 point (1 m on
 * 500 m), so the figure is trunc(v) or, rarely, trunc(v + 0.2).
 */
function expectUtilisation(actual: number | null, v: number): void {
  expect(actual).not.toBeNull();
  expect(actual!).toBeGreaterThanOrEqual(Math.trunc(v));
  expect(actual!).toBeLessThanOrEqual(Math.trunc(v + 0.2));
}

/** kube-proxy on node-5 has a change 0.11 s after it: watch delivery 0.1 s + an IPVS sync of 10 ms. */
const RULES = 0.11;

describe('HPA arithmetic without behavior (normalizeDesiredReplicas), sync by sync', () => {
  // 2 pods of 500m; clients of 130/s (web) and 70/s (web-b), 15 ms each: 1.95 + 1.05 = 3 cores, i.e.
  // 300 % of 1 core requested; target 50 %. At 201 s web-b's load goes (its traffic policy turns Local).
  // Pods start 20 s after creation and are Ready at once. metrics-server scrapes at 14 + 15k s (the
  // window before the first sync, [14, 29], is whole), the HPA syncs at 35 + 15k s.
  const r = hpaRun({
    pods: 2,
    loads: [
      { service: 'web', rate: 130 },
      { service: 'web-b', rate: 70 },
    ],
    serviceTime: 0.015,
    cpu: 0.5,
    hpa: { minReplicas: 2, maxReplicas: 12, targetCPUUtilization: 50, syncPhase: 35, metricPhase: 14 },
    events: [{ at: 201, kind: 'set-policy', service: 'default/web-b', externalTrafficPolicy: 'Local' }],
    duration: 600,
  });

  it('scales up no faster than max(2 × current, 4) per sync', () => {
    // 35: 300 % → ratio 6 → ceil(6 × 2) = 12, limited to max(2 × 2, 4) = 4.
    expect(at(r, 35)).toEqual({ utilisation: 300, desired: 4, replicas: 4 });
  });

  it('counts pods still starting as using nothing on a scale-up', () => {
    // 50: the 2 new pods are Pending (start-up 20 s): ignored for the 300 %, then counted at 0 % of their
    // request: 3000m / 4 × 500m = 150 % → ratio 3 → ceil(3 × 4) = 12 (not ceil(6 × 4) = 24), limited to 8.
    expect(at(r, 50)).toEqual({ utilisation: 300, desired: 8, replicas: 8 });
  });

  it('treats pods without a metric yet as using nothing on a scale-up, and keeps the highest recent recommendation', () => {
    // 65: the pods made at 35 started at 55 (their first scrape, at 59, is 4 s after: no metric: missing),
    // those made at 50 are Pending. The 2 old pods did 3 cores until the new ones were in node-5's rules
    // (55 + 0.11), then 1.5 cores, over [44, 59].
    const e = 55 + RULES;
    const old = (3 * (e - 44) + 1.5 * (59 - e)) / 15;
    const s = at(r, 65);
    expectUtilisation(s.utilisation, (100 * old) / 1);
    // Missing and unready at 0: 2611m / 8 × 500m = 65 % → ratio 1.3 → ceil(1.3 × 8) = 11; the highest
    // recommendation of the last 300 s is 12 → 12 (≤ max(16, 4)).
    expect(s.desired).toBe(12);
    expect(s.replicas).toBe(12);
  });

  it('keeps the count when the adjusted ratio changes direction, or falls within tolerance', () => {
    // 80: counted: the 2 old pods and the 2 made at 35 (Ready at 55, metric of [59, 74] ends at 74 ≥ 55 + 15).
    // Their load: 3 cores until the pods made at 50 were in the rules (70 + 0.11), then 1.5 cores.
    let e = 70 + RULES;
    const u80 = (3 * (e - 59) + 1.5 * (74 - e)) / 15;
    expectUtilisation(at(r, 80).utilisation, (100 * u80) / 2);
    // 130 % → ratio 2.6 > 1; with 4 missing and 4 Pending at 0: 2611m / 12 × 500m = 43 % → ratio 0.86 < 1:
    // the direction changed, so nothing changes.
    expect(at(r, 80).desired).toBe(12);
    // 95: 8 pods counted (the 4 made at 65 have no metric yet); 3 cores until 85 + 0.11, then 2 of them.
    e = 85 + RULES;
    const u95 = (3 * (e - 74) + 2 * (89 - e)) / 15;
    expectUtilisation(at(r, 95).utilisation, (100 * u95) / 4);
    // 68 % → ratio 1.36; the 4 missing at 0: 2741m / 6000m = 45 % → 0.9, within the 0.1 tolerance.
    expect(at(r, 95).desired).toBe(12);
    // 110 on: 12 pods share 3 cores: 50 %, ratio 1.
    for (let t = 110; t <= 200; t += 15) expect(at(r, t)).toEqual({ utilisation: 50, desired: 12, replicas: 12 });
  });

  it('scales down only once every higher recommendation is older than the 300 s window', () => {
    // 215: over [194, 209], web-b's load until 201: (3 × 7 + 1.95 × 8) / 15 = 2.44 cores / 6 = 40 %
    // → ratio 0.8 → ceil(9.6) = 10; but 12 was recommended within 300 s.
    expectUtilisation(at(r, 215).utilisation, (100 * (3 * 7 + 1.95 * 8)) / 15 / 6);
    expect(at(r, 215).desired).toBe(12);
    // 230 to 500: 1.95 cores / 6 = 32 % → ratio 0.64 → ceil(7.68) = 8; the 12 of 200 is still in the window
    // at 500 (a recommendation exactly 300 s old counts).
    for (let t = 230; t <= 500; t += 15) expect(at(r, t)).toEqual({ utilisation: 32, desired: 12, replicas: 12 });
    // 515: the window is (215, 515]... from 215 on: 10 (of 215) is the highest → 10.
    expect(at(r, 515)).toEqual({ utilisation: 32, desired: 10, replicas: 10 });
    // 530: the highest is now 8. Utilisation over [509, 524]: the 10 kept pods had 1.95 cores / 12 each
    // until 515 + 0.11, then / 10.
    const e = 515 + RULES;
    const u530 = ((1.95 * 10) / 12 * (e - 509) + 1.95 * (524 - e)) / 15;
    expectUtilisation(at(r, 530).utilisation, (100 * u530) / 5);
    expect(at(r, 530).desired).toBe(8);
    expect(at(r, 530).replicas).toBe(8);
    // 560 on: 1.95 cores / 4 = 48 % → ratio 0.96, within tolerance: 8 stays.
    for (let t = 560; t < 600; t += 15) expect(at(r, t)).toEqual({ utilisation: 48, desired: 8, replicas: 8 });
  });
});

describe('HPA arithmetic with behavior (normalizeDesiredReplicasWithBehaviors)', () => {
  // As above, with behavior: scale-up as the API defaults it (max(4 pods, 100 %) per 15 s), scale-down
  // stabilized over 60 s and at most 2 pods per 30 s.
  const r = hpaRun({
    pods: 2,
    loads: [
      { service: 'web', rate: 130 },
      { service: 'web-b', rate: 70 },
    ],
    serviceTime: 0.015,
    cpu: 0.5,
    hpa: {
      minReplicas: 2,
      maxReplicas: 12,
      targetCPUUtilization: 50,
      syncPhase: 35,
      metricPhase: 14,
      behavior: {
        scaleUp: DEFAULT_SCALE_UP,
        scaleDown: { stabilizationWindow: 60, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, period: 30 }], tolerance: null },
      },
    },
    events: [{ at: 201, kind: 'set-policy', service: 'default/web-b', externalTrafficPolicy: 'Local' }],
    duration: 400,
  });

  it('scales up by max(current + 4, 2 × current) per 15 s', () => {
    // 35: 12 recommended; limit max(2 + 4, 2 × 2) = 6.
    expect(at(r, 35)).toEqual({ utilisation: 300, desired: 6, replicas: 6 });
    // 50: 4 Pending at 0: 3000m / 3000m = 100 % → ratio 2 → ceil(2 × 6) = 12; the scale-up of 35 is 15 s old,
    // outside the period: limit max(6 + 4, 12) = 12.
    expect(at(r, 50)).toEqual({ utilisation: 300, desired: 12, replicas: 12 });
  });

  it('scales down after the 60 s window, 2 pods per 30 s', () => {
    // From 215 the proposals are 10 (215: web-b's load gone for part of the window), then 8.
    // 215 to 245: the 12 recommended at 200 is within 60 s: the count stays.
    for (let t = 215; t <= 245; t += 15) expect(at(r, t).desired).toBe(12);
    // 260: the window (200, 260] holds 10 (of 215) and 8s: toward 10, within 2 pods per 30 s.
    expect(at(r, 260)).toEqual({ utilisation: 32, desired: 10, replicas: 10 });
    // 275: the window holds only 8s, but 2 pods went within the last 30 s: the period started at 12, so
    // at least 10 stay.
    expect(at(r, 275).desired).toBe(10);
    // 290: the removal of 260 is 30 s old, outside the period: 8.
    expect(at(r, 290).desired).toBe(8);
    expect(at(r, 305).replicas).toBe(8);
  });
});

describe('the utilisation the HPA sees', () => {
  /** Busy core-seconds in [a, b] of a client sending every 1/rate s from 1/rate on, each request busy s. */
  function busy(rate: number, s: number, a: number, b: number): number {
    let total = 0;
    const gap = 1 / rate;
    // The same float additions as the simulator's clock (each arrival schedules the next one gap later).
    for (let t = gap; t < b; t += gap) total += Math.max(0, Math.min(b, t + s) - Math.max(a, t));
    return total;
  }

  it('equals busy time / (requested CPU × window) for one pod, window by window', () => {
    // 37/s × 11 ms = 0.407 cores on a 250m request; scrapes at 4 + 15k (the one before the run at −11 saw an
    // idle pod), syncs at 5 + 15k: each sync reads the window that ended 1 s before.
    const r = hpaRun({
      pods: 1,
      loads: [{ service: 'web', rate: 37 }],
      serviceTime: 0.011,
      cpu: 0.25,
      hpa: { minReplicas: 1, maxReplicas: 1, targetCPUUtilization: 200, syncPhase: 5, metricPhase: 4 },
      duration: 120,
    });
    for (let k = 0; k < 7; k++) {
      const end = 4 + 15 * k;
      const cores = busy(37, 0.011, Math.max(0, end - 15), end) / 15;
      // metrics-server's nanocores (truncated), the HPA's millicores (rounded up), whole percent (truncated).
      const milli = Math.ceil(Math.floor(cores * 1e9) / 1e6);
      expect(at(r, 5 + 15 * k).utilisation, `sync at ${5 + 15 * k}`).toBe(Math.trunc((milli * 100) / 250));
    }
  });

  it('is busy time × the CPU share of a request / (requests × window) over several pods', () => {
    // 3 pods of 300m; 90/s × 20 ms = 1.8 busy servers, of which 60 % on CPU: 1.08 cores of 0.9 requested.
    const r = hpaRun({
      pods: 3,
      loads: [{ service: 'web', rate: 90 }],
      serviceTime: 0.02,
      cpu: 0.3,
      cpuShare: 0.6,
      hpa: { minReplicas: 3, maxReplicas: 3, targetCPUUtilization: 100, syncPhase: 12, metricPhase: 7 },
      duration: 100,
    });
    for (let k = 0; k < 5; k++) {
      const end = 7 + 15 * k;
      const v = (100 * 0.6 * busy(90, 0.02, Math.max(0, end - 15), end)) / (0.9 * 15);
      expectUtilisation(at(r, 12 + 15 * k).utilisation, v);
    }
    expect(at(r, 72).utilisation).toBe(120);
  });
});

describe('HPA rules one by one', () => {
  const base = { serviceTime: 0.015, cpu: 0.5, duration: 120 } as const;
  const hpa = { targetCPUUtilization: 50, syncPhase: 35, metricPhase: 14 } as const;

  it('does nothing within the 0.1 tolerance, and scales just beyond it', () => {
    // 4 pods of 500m: 72/s × 15 ms = 1.08 cores = 54 % → ratio 1.08: stays at 4 (ceil(1.08 × 4) would be 5).
    const inside = hpaRun({ ...base, pods: 4, loads: [{ service: 'web', rate: 72 }], hpa: { ...hpa, minReplicas: 1 } });
    for (let t = 35; t < 120; t += 15) expect(at(inside, t)).toEqual({ utilisation: 54, desired: 4, replicas: 4 });
    // 80/s × 15 ms = 1.2 cores = 60 % → ratio 1.2 → ceil(4.8) = 5.
    const beyond = hpaRun({ ...base, pods: 4, loads: [{ service: 'web', rate: 80 }], hpa: { ...hpa, minReplicas: 1 } });
    expect(at(beyond, 35)).toEqual({ utilisation: 60, desired: 5, replicas: 5 });
  });

  it('does not count a pod that is still starting toward a further scale-up', () => {
    // 2 pods at 75 % (ratio 1.5) → 3 at 35. At 50 the third pod is starting (start-up 60 s): 2 × 750m /
    // 3 × 500m = 100 % → ratio 1, within tolerance: 3 stays (not ceil(1.5 × 3) = 5).
    const r = hpaRun({
      ...base,
      duration: 100,
      pods: 2,
      loads: [{ service: 'web', rate: 50 }],
      lifecycle: { startup: dist('const(60s)') },
      hpa: { ...hpa, minReplicas: 1 },
    });
    expect(at(r, 35)).toEqual({ utilisation: 75, desired: 3, replicas: 3 });
    for (let t = 50; t < 95; t += 15) expect(at(r, t)).toEqual({ utilisation: 75, desired: 3, replicas: 3 });
  });

  it('holds a scale-down for 300 s from the first sync (its initial recommendation)', () => {
    // 8 pods: 40/s × 15 ms = 0.6 cores = 15 % → ratio 0.3 → ceil(2.4) = 3; the first sync (35) recorded 8:
    // 8 stays through 335 (a recommendation exactly 300 s old counts).
    const r = hpaRun({ ...base, duration: 400, pods: 8, loads: [{ service: 'web', rate: 40 }], hpa: { ...hpa, minReplicas: 1 } });
    for (let t = 35; t <= 335; t += 15) expect(at(r, t)).toEqual({ utilisation: 15, desired: 8, replicas: 8 });
    expect(at(r, 350)).toEqual({ utilisation: 15, desired: 3, replicas: 3 });
  });

  it('clamps to minReplicas and maxReplicas', () => {
    // Idle: ratio 0 → ceil(0) = 0 → minReplicas 3 (after the 300 s window).
    const idle = hpaRun({ ...base, duration: 400, pods: 6, loads: [{ service: 'web', rate: 1 }], hpa: { ...hpa, minReplicas: 3 } });
    expect(at(idle, 335).desired).toBe(6);
    expect(at(idle, 350).desired).toBe(3);
    // Below minReplicas at the start: straight to it, whatever the metric.
    const few = hpaRun({ ...base, pods: 1, loads: [{ service: 'web', rate: 1 }], hpa: { ...hpa, minReplicas: 2 } });
    expect(at(few, 35).desired).toBe(2);
    // Overloaded: 3 cores on 4 × 500m → ratio 3 → 12, limited by maxReplicas 6.
    const many = hpaRun({ ...base, pods: 4, loads: [{ service: 'web', rate: 200 }], hpa: { ...hpa, minReplicas: 1, maxReplicas: 6 } });
    expect(at(many, 35)).toEqual({ utilisation: 150, desired: 6, replicas: 6 });
    for (let t = 50; t < 120; t += 15) expect(at(many, t).desired).toBe(6);
  });
});
