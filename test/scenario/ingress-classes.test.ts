/**
 * networking.k8s.io/v1 IngressClass: which controller serves an Ingress, as the API server (the
 * DefaultIngressClass admission plugin, ValidateIngressCreate) and the controllers (ingress-nginx claims by
 * spec.controller; the NGINX Ingress Controller and Kong by their --ingress-class name) decide it.
 */
import { describe, expect, test } from 'vitest';
import { failed, ingressCluster, load, ok, webApp, workload, yaml } from './helpers.js';

const CLUSTER = ingressCluster('controller: ingress-nginx, className: nginx', 'controller: nginx-inc, className: nginx-inc', 'controller: kong, className: kong');

const APPS = webApp();

const ingressClass = (name: string, controller: string, isDefault = false): string =>
  yaml(
    'apiVersion: networking.k8s.io/v1',
    'kind: IngressClass',
    'metadata:',
    `  name: ${name}`,
    ...(isDefault ? ['  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}'] : []),
    `spec: {controller: ${controller}}`,
  );

const ingress = (name: string, cls?: string, annotation?: string): string =>
  yaml(
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    `  name: ${name}`,
    ...(annotation !== undefined ? [`  annotations: {kubernetes.io/ingress.class: ${annotation}}`] : []),
    'spec:',
    ...(cls !== undefined ? [`  ingressClassName: ${cls}`] : []),
    '  defaultBackend: {service: {name: web, port: {number: 80}}}',
  );

const WORKLOAD = workload('{name: u, target: {ingress: {className: public, host: example.com}}, rate: 10/s}');

/** Warnings other than "no Workload". */
const about = (warnings: string[]): string[] => warnings.filter((w) => !w.includes('no Workload'));

const classesOf = (spec: { ingresses?: readonly { name: string; className: string | null }[] }) => Object.fromEntries((spec.ingresses ?? []).map((i) => [i.name, i.className]));

describe('which controller serves an Ingress', () => {
  const CLASSES = [
    ingressClass('public', 'k8s.io/ingress-nginx', true),
    ingressClass('nginx-inc', 'nginx.org/ingress-controller'),
    ingressClass('kong', 'ingress-controllers.konghq.com/kong'),
  ].join('---\n');

  test('the default class is given to an Ingress without one; ingress-nginx claims its class by spec.controller', () => {
    const { spec, warnings } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'k.yaml': CLASSES, 'i.yaml': [ingress('plain'), ingress('inc', 'nginx-inc'), ingress('k', 'kong'), ingress('pub', 'public')].join('---\n'), 'w.yaml': WORKLOAD }));
    expect(warnings).toEqual([]);
    expect(classesOf(spec)).toEqual({ plain: 'nginx', inc: 'nginx-inc', k: 'kong', pub: 'nginx' });
    expect(spec.ingressControllers!.map((c) => [c.className, c.isDefaultClass])).toEqual([['nginx', true], ['nginx-inc', false], ['kong', false]]);
    // A client may name the IngressClass rather than the controller's class.
    expect(spec.clients[0]!.http!.ingressClass).toBe('nginx');
  });

  test('the legacy annotation names the controller\'s --ingress-class', () => {
    const { spec } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'k.yaml': CLASSES, 'i.yaml': ingress('old', undefined, 'kong') }));
    expect(classesOf(spec)).toEqual({ old: 'kong' });
  });

  test('ingressClassName naming no IngressClass: accepted, served by nobody (a warning)', () => {
    const { spec, warnings } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'k.yaml': CLASSES, 'i.yaml': ingress('lost', 'nginx') }));
    expect(about(warnings)).toEqual(['i.yaml:6:21: warning: Ingress/lost.spec.ingressClassName: no IngressClass "nginx" (there are: public, nginx-inc, kong): the API server accepts the Ingress, but no controller serves it']);
    expect(classesOf(spec)).toEqual({});
  });

  test('the NGINX Ingress Controller and Kong claim only the class named after their --ingress-class', () => {
    const { spec, warnings } = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'k.yaml': ingressClass('nic', 'nginx.org/ingress-controller'), 'i.yaml': ingress('x', 'nic') }));
    expect(about(warnings)).toEqual(['k.yaml:4:9: warning: IngressClass/nic.metadata.name: no nginx-inc controller of the Cluster has className "nic" (it claims only the class named after its --ingress-class): Ingresses of this class route nothing']);
    expect(classesOf(spec)).toEqual({});
  });

  test('no default class: only the NGINX Ingress Controller serves an Ingress without a class', () => {
    const withNic = ok(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'k.yaml': ingressClass('kong', 'ingress-controllers.konghq.com/kong'), 'i.yaml': ingress('plain') }));
    expect(withNic.spec.ingressControllers!.find((c) => c.isDefaultClass)!.className).toBe('nginx-inc');
    expect(classesOf(withNic.spec)).toEqual({ plain: null });
    const onlyKong = ingressCluster('controller: kong, className: kong');
    const r = ok(load({ 'c.yaml': onlyKong, 'a.yaml': APPS, 'k.yaml': ingressClass('kong', 'ingress-controllers.konghq.com/kong'), 'i.yaml': ingress('plain') }));
    expect(about(r.warnings)).toEqual(['i.yaml:1:1: warning: Ingress/plain: no default IngressClass, and only the NGINX Ingress Controller serves Ingresses without a class (ingress-nginx and Kong ignore them): this Ingress routes nothing']);
  });
});

describe('what the API server refuses', () => {
  test('two default classes: an Ingress without a class is refused', () => {
    const classes = [ingressClass('a', 'k8s.io/ingress-nginx', true), ingressClass('b', 'ingress-controllers.konghq.com/kong', true)].join('---\n');
    const r = failed(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'k.yaml': classes, 'i.yaml': ingress('plain') }));
    expect(r.errors).toEqual([
      'i.yaml:1:1: error: Ingress/plain: the API server refuses an Ingress without ingressClassName while 2 IngressClasses are marked default (a, b): mark at most one with ingressclass.kubernetes.io/is-default-class, or set ingressClassName',
    ]);
    expect(r.warnings).toContain('k.yaml:12:62: warning: IngressClass/b.metadata.annotations["ingressclass.kubernetes.io/is-default-class"]: 2 IngressClasses are marked default (a, b): the API server refuses Ingresses without ingressClassName');
  });

  test('ingressClassName and the kubernetes.io/ingress.class annotation together', () => {
    const r = failed(load({ 'c.yaml': CLUSTER, 'a.yaml': APPS, 'i.yaml': ingress('both', 'nginx', 'kong') }));
    expect(r.errors).toEqual(['i.yaml:5:46: error: Ingress/both.metadata.annotations["kubernetes.io/ingress.class"]: can not be set when the class field is also set (spec.ingressClassName: nginx); the API server refuses the Ingress']);
  });

  test('spec.controller must be a domain-prefixed path', () => {
    const r = failed(load({ 'c.yaml': CLUSTER, 'k.yaml': ingressClass('x', 'nginx') }));
    expect(r.errors[0]).toMatch(/^k\.yaml:5:20: error: IngressClass\/x\.spec\.controller: expected a domain-prefixed path/);
  });

  test('IngressClass is read, not ignored', () => {
    const r = load({ 'c.yaml': CLUSTER, 'k.yaml': ingressClass('public', 'k8s.io/ingress-nginx', true) });
    expect(r.ok && r.ignored.some((i) => i.kind === 'IngressClass')).toBe(false);
  });
});
