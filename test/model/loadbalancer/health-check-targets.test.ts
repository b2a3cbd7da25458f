/**
 * What the LB's health checks see: kube-proxy's health-check NodePort reports a node's *ready* local
 * endpoints (`localEndpoints`); a terminating pod (serving but not ready) does not count, so the LB drains
 * the node while kube-proxy still serves it. IP targets are the ready endpoints themselves.
 */
import { describe, expect, test } from 'vitest';
import { ipTargets, readyEndpointsPerNode } from '../../../src/model/loadbalancer/targets.js';
import type { Endpoint } from '../../../src/model/routing.js';

const ep = (pod: number, node: number, zone: number, ready: boolean): Endpoint => ({ pod, port: 8080, node, zone, ready, serving: true, terminating: !ready });

// Node 0: two ready pods; node 1: one terminating; node 2: one ready, one terminating; node 3: none.
const ENDPOINTS = [ep(0, 0, 0, true), ep(1, 0, 0, true), ep(2, 1, 1, false), ep(3, 2, 1, true), ep(4, 2, 1, false)];

describe('health-check view of the endpoints', () => {
  test('ready endpoints per node: terminating ones are not counted', () => {
    expect([...readyEndpointsPerNode(ENDPOINTS, 4)]).toEqual([2, 0, 1, 0]);
  });

  test('IP targets: the ready endpoints, with their zones', () => {
    const t = ipTargets(ENDPOINTS);
    expect([...t.ids]).toEqual([0, 1, 3]);
    expect([...t.zones]).toEqual([0, 0, 1]);
  });
});
