/**
 * topology-mode: Auto against k/k `staging/src/k8s.io/endpointslice/topologycache/utils.go`
 * (`getGivingAndReceivingZones`): the loop stops only when both sides are under one endpoint or either is
 * under half of one (issue 17, item 5).
 */
import { describe, expect, it } from 'vitest';
import { allocateZoneHints, computeEndpoints } from '../../../src/model/endpoints/index.js';
import { cluster } from '../fixtures.js';

function perZone(podsPerNode: number[]): number[] {
  const { index, service } = cluster({ podsPerNode, zones: ['a', 'b', 'c'], service: { topologyModeAuto: true } });
  const hints = allocateZoneHints(computeEndpoints(service, service.ports[0]!, index), index)!;
  const counts = [0, 0, 0];
  for (const z of hints) counts[z]!++;
  return counts;
}

describe('topology-mode Auto: remainders between 0.5 and 1', () => {
  it('5/4/1 ready pods in three equal zones: Kubernetes hints 3/4/3 (the model gave 4/4/2)', () => {
    // desired 3.33 each. a gives 1 to c (a 0.67 over, c 1.33 under); then a (0.67, first on the tie with
    // b) still gives to c, because c needs at least one and a at least half of one.
    const counts = perZone([5, 4, 1]);
    expect(counts[2]).toBe(3);
    expect([...counts].sort()).toEqual([3, 3, 4]);
  });

  it('stops when the receiver needs less than half an endpoint', () => {
    // 4/3/3 (10 endpoints): a is 0.67 over, b and c 0.33 under each: nothing moves.
    expect(perZone([4, 3, 3])).toEqual([4, 3, 3]);
  });
});
