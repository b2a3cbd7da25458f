/**
 * One object per kind and name: the API server keeps one Service, Ingress, VirtualServer (namespace/name)
 * or IngressClass (name); a second is an error at its metadata.name that says where the first stands.
 */
import { describe, expect, test } from 'vitest';
import { failed, ingressCluster, load, webApp, yaml } from './helpers.js';

const CLUSTER = ingressCluster('controller: nginx-inc, className: nginx');

const twice = (...lines: string[]): string => [yaml(...lines), yaml(...lines)].join('---\n');

describe('a second object of a kind and name', () => {
  test('Service, Ingress, VirtualServer and IngressClass: an error naming the first, at file:line', () => {
    const objects = [
      twice('apiVersion: v1', 'kind: Service', 'metadata: {name: web, namespace: shop}', 'spec: {ports: [{port: 80}]}'),
      twice('apiVersion: networking.k8s.io/v1', 'kind: IngressClass', 'metadata: {name: nginx}', 'spec: {controller: nginx.org/ingress-controller}'),
      twice('apiVersion: networking.k8s.io/v1', 'kind: Ingress', 'metadata: {name: shop}', 'spec: {ingressClassName: nginx, defaultBackend: {service: {name: web, port: {number: 80}}}}'),
      twice('apiVersion: k8s.nginx.org/v1', 'kind: VirtualServer', 'metadata: {name: cafe}', 'spec: {host: cafe.example.com, upstreams: [{name: web, service: web, port: 80}], routes: [{path: /, action: {pass: web}}]}'),
    ].join('---\n');
    expect(failed(load({ 'c.yaml': CLUSTER, 'a.yaml': webApp(), 'o.yaml': objects })).errors).toEqual([
      'o.yaml:8:18: error: Service/shop/web.metadata.name: Service "shop/web" already exists (at o.yaml:1)',
      'o.yaml:18:18: error: IngressClass/nginx.metadata.name: IngressClass "nginx" already exists (at o.yaml:11)',
      'o.yaml:28:18: error: Ingress/shop.metadata.name: Ingress "default/shop" already exists (at o.yaml:21)',
      'o.yaml:38:18: error: VirtualServer/cafe.metadata.name: VirtualServer "default/cafe" already exists (at o.yaml:31)',
    ]);
  });
});
