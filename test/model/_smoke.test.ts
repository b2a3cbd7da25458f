import { test } from 'vitest';
import { simulate } from '../../src/model/simulation.js';
import { cluster, client, dist, behaviour } from './fixtures.js';

test('smoke', () => {
  const { spec } = cluster({ podsPerNode: [1], pod: () => ({ behaviour: behaviour({ serviceTime: dist('exp(mean=1ms)'), queueCapacity: 1e9 }) }),
    service: { type: 'NodePort' },
    clients: [client({ arrival: { kind: 'open', interarrival: dist('exp(mean=2ms)') }, target: { service: 'default/web', port: 80, via: 'nodePort', nodes: [] } })] });
  const r = simulate({ ...spec, simulation: { seed: 1, duration: null, requests: 200000, warmup: 0 } });
  const { histogram, ...lat } = r.latency;
  console.log(JSON.stringify({ ...r, latency: lat, pods: r.pods, nodes: r.nodes }, null, 1).slice(0, 4000));
});
