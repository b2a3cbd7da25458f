/**
 * networking.k8s.io/v1 IngressClass objects: which of the Cluster's ingress controllers serves an Ingress,
 * as the API server and the controllers decide it.
 *
 * - A class is served by the Cluster controller whose class name (its `--ingress-class`, the Cluster's
 *   `className`) equals the IngressClass's name and whose implementation is the class's `spec.controller`
 *   (`k8s.io/ingress-nginx`, `nginx.org/ingress-controller`, `ingress-controllers.konghq.com/kong`).
 *   ingress-nginx claims classes by `spec.controller` alone (`--controller-class`; the name need not match):
 *   a class of `k8s.io/ingress-nginx` with another name goes to the Cluster's one ingress-nginx controller.
 *   The NGINX Ingress Controller and Kong claim only the class named after their `--ingress-class`.
 * - An Ingress without `ingressClassName` (and without the old annotation) is given the default class by
 *   the API server's DefaultIngressClass admission plugin (the one IngressClass annotated
 *   `ingressclass.kubernetes.io/is-default-class: "true"`); with two or more default classes the API server
 *   refuses such an Ingress (k/website `concepts/services-networking/ingress.md`, "Default IngressClass").
 *   With no default class it stays without one: ingress-nginx ignores it (`--watch-ingress-without-class`
 *   is off by default), Kong too; the NGINX Ingress Controller serves resources without a class
 *   (`HasCorrectIngressClass`: `class == ""`).
 * - `ingressClassName` naming no IngressClass: the API server accepts the Ingress, and no controller
 *   serves it (a warning).
 * - `kubernetes.io/ingress.class` (deprecated) is compared with each controller's `--ingress-class`
 *   directly; the API server refuses an Ingress that sets both it and `ingressClassName`.
 *
 * When the scenario has no IngressClass, the Cluster's `className` and `default` fields stand for the
 * classes the controllers' charts install (the fallback documented in docs/scenarios.md): nothing here
 * changes then.
 */
import type { IngressControllerKind } from '../model/spec.js';
import type { ControllerDraft } from './build-ingress.js';
import type { ClusterObject } from './kinds/cluster.js';
import { DEFAULT_CLASS_ANNOTATION, type IngressClassObject, type IngressObject } from './kinds/ingress.js';
import type { Problems } from './problems.js';
import { UniqueNames } from './unique-names.js';
import type { Valid } from './validate.js';

/** An IngressClass's `spec.controller` -> the implementation the simulator has for it. */
export const CONTROLLER_VALUES: Readonly<Record<string, IngressControllerKind>> = {
  'k8s.io/ingress-nginx': 'ingress-nginx',
  'nginx.org/ingress-controller': 'nginx-inc',
  'ingress-controllers.konghq.com/kong': 'kong',
};

export interface IngressClassResolution {
  /** Whether the scenario declares IngressClasses (else the Cluster's className and default decide). */
  readonly declared: boolean;
  /** IngressClasses by name. */
  readonly classes: ReadonlyMap<string, Valid<IngressClassObject>>;
  /** The Cluster controller (its className) serving each IngressClass; absent: none in the Cluster does. */
  readonly served: ReadonlyMap<string, string>;
  /** The default IngressClasses' names (more than one: the API server refuses Ingresses without a class). */
  readonly defaults: readonly string[];
  /** The controllers, with `isDefaultClass` as the IngressClasses make it. */
  readonly controllers: readonly ControllerDraft[];
}

export function resolveIngressClasses(
  list: readonly Valid<IngressClassObject>[],
  controllers: readonly ControllerDraft[],
  cluster: Valid<ClusterObject> | undefined,
  problems: Problems,
): IngressClassResolution {
  const classes = new Map<string, Valid<IngressClassObject>>();
  const served = new Map<string, string>();
  if (list.length === 0) return { declared: false, classes, served, defaults: [], controllers };

  const names = new UniqueNames('IngressClass', problems);
  for (const c of list) {
    const name = c.obj.metadata.name;
    if (!names.claim(c.res, name)) continue;
    classes.set(name, c);
    const value = c.obj.spec.controller;
    const kind = Object.hasOwn(CONTROLLER_VALUES, value) ? CONTROLLER_VALUES[value] : undefined;
    if (kind === undefined) continue; // another controller's class (Traefik, HAProxy...): nothing here serves it
    const byName = controllers.find((d) => d.spec.className === name);
    const ofKind = controllers.filter((d) => (d.spec.implementation ?? 'ingress-nginx') === kind);
    const byNameKind = byName === undefined ? undefined : byName.spec.implementation ?? 'ingress-nginx';
    let server: ControllerDraft | undefined;
    if (byName !== undefined && byNameKind === kind) server = byName;
    else if (kind === 'ingress-nginx' && ofKind.length === 1) server = ofKind[0];
    if (server !== undefined) {
      served.set(name, server.spec.className);
      if (byName !== undefined && byName !== server) {
        problems.warn(c.res, ['spec', 'controller'], `claimed by the ingress-nginx controller of class "${server.spec.className}" (it claims classes by spec.controller); the Cluster's controller of class "${name}" (${byNameKind}) does not serve it`);
      }
    } else if (byName !== undefined) {
      problems.warn(c.res, ['spec', 'controller'], `the Cluster's controller of class "${name}" is ${byName.spec.implementation ?? 'ingress-nginx'}, not ${value}: it does not claim this class, and Ingresses of class "${name}" route nothing`);
    } else if (ofKind.length === 0) {
      problems.warn(c.res, ['spec', 'controller'], `no ${kind} controller in the Cluster (Cluster.spec.ingressControllers): Ingresses of class "${name}" route nothing`);
    } else {
      problems.warn(c.res, ['metadata', 'name'], `no ${kind} controller of the Cluster has className "${name}" (${kind === 'ingress-nginx' ? 'several ingress-nginx controllers: name the class after one' : 'it claims only the class named after its --ingress-class'}): Ingresses of this class route nothing`);
    }
  }

  const marked = [...classes.values()].filter((c) => c.obj.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  const defaults = marked.map((c) => c.obj.metadata.name);
  for (const extra of marked.slice(1)) {
    problems.warn(extra.res, ['metadata', 'annotations', DEFAULT_CLASS_ANNOTATION], `${defaults.length} IngressClasses are marked default (${defaults.join(', ')}): the API server refuses Ingresses without ingressClassName`);
  }
  const defaultServer = defaults.length === 1 ? served.get(defaults[0]!) : undefined;
  const updated = controllers.map((d): ControllerDraft => {
    // No default class: the NGINX Ingress Controller still serves resources without a class.
    const isDefault = defaults.length === 0 ? d.spec.implementation === 'nginx-inc' : d.spec.className === defaultServer;
    return isDefault === d.spec.isDefaultClass ? d : { ...d, spec: { ...d.spec, isDefaultClass: isDefault } };
  });
  if (cluster) {
    controllers.forEach((d) => {
      const written = cluster.obj.spec.ingressControllers?.[d.index]?.default;
      if (written !== undefined && written !== updated.find((u) => u.index === d.index)!.spec.isDefaultClass) {
        problems.warn(cluster.res, ['spec', 'ingressControllers', d.index, 'default'], `has no effect: the IngressClasses decide the default class (annotation ${DEFAULT_CLASS_ANNOTATION})`);
      }
    });
  }
  return { declared: true, classes, served, defaults, controllers: updated };
}

/** What an Ingress's class resolves to: the serving controller's className, or null with the reason. */
export type IngressClassVerdict = { readonly className: string | null; readonly served: boolean };

/**
 * The class of one Ingress under declared IngressClasses (`declared` true), with its diagnostics: the
 * Cluster controller class that serves it, or `served: false` (the Ingress routes nothing).
 */
export function classOfIngress(ing: Valid<IngressObject>, r: IngressClassResolution, annotationKey: string, problems: Problems): IngressClassVerdict {
  const { res, obj } = ing;
  const field = obj.spec.ingressClassName;
  const annotation = obj.metadata.annotations?.[annotationKey];
  if (field !== undefined) {
    const cls = r.classes.get(field);
    if (cls === undefined) {
      const known = [...r.classes.keys()];
      problems.warn(res, ['spec', 'ingressClassName'], `no IngressClass "${field}" (there are: ${known.join(', ')}): the API server accepts the Ingress, but no controller serves it`);
      return { className: null, served: false };
    }
    const ctrl = r.served.get(field);
    return ctrl === undefined ? { className: null, served: false } : { className: ctrl, served: true };
  }
  if (annotation !== undefined) return { className: annotation, served: true };
  if (r.defaults.length > 1) {
    problems.error(res, [], `the API server refuses an Ingress without ingressClassName while ${r.defaults.length} IngressClasses are marked default (${r.defaults.join(', ')}): mark at most one with ${DEFAULT_CLASS_ANNOTATION}, or set ingressClassName`);
    return { className: null, served: false };
  }
  if (r.defaults.length === 1) {
    const ctrl = r.served.get(r.defaults[0]!);
    return ctrl === undefined ? { className: null, served: false } : { className: ctrl, served: true };
  }
  // No default class: only the NGINX Ingress Controller serves Ingresses without a class.
  return { className: null, served: r.controllers.some((c) => c.spec.isDefaultClass) };
}
