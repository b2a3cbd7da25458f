/**
 * Names the API server would refuse (issue 15, item 6), checked as it checks them (the rules are in
 * kinds/meta.ts, after k8s.io/apimachinery `pkg/util/validation`): label keys and values of objects, pod
 * templates, selectors and the Cluster's nodes; zone names (the value of the topology.kubernetes.io/zone
 * label); Service port names (DNS-1123 labels, k8s `ValidateServicePort`), container port names and
 * targetPorts given by name (IANA service names, `IsValidPortName`). Object names and namespaces are
 * checked by the kinds' schemas.
 */
import { dns1123LabelProblem, labelKeyProblem, labelValueProblem, portNameProblem } from '../kinds/meta.js';
import type { Problems } from '../problems.js';
import type { Resource } from '../resource.js';
import type { FieldPath } from '../source-map.js';
import type { ValidatedScenario } from '../validate.js';

type Labels = Readonly<Record<string, string>> | undefined;

function checkLabels(res: Resource, path: FieldPath, labels: Labels, problems: Problems): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    const kp = labelKeyProblem(k);
    if (kp !== undefined) problems.error(res, [...path, k], { expected: 'a label key such as app or app.kubernetes.io/name', found: JSON.stringify(k), message: kp }, { key: true });
    const vp = labelValueProblem(v);
    if (vp !== undefined) problems.error(res, [...path, k], { expected: 'a label value (at most 63 letters, digits, -, _ or .)', found: JSON.stringify(v), message: vp });
  }
}

function checkZone(res: Resource, path: FieldPath, zone: string | undefined, problems: Problems): void {
  if (zone === undefined) return;
  const p = labelValueProblem(zone);
  if (p !== undefined) problems.error(res, path, { expected: 'a zone name that can be a label value (the value of topology.kubernetes.io/zone)', found: JSON.stringify(zone), message: p });
}

interface PodSpecLike {
  readonly containers?: readonly { readonly ports?: readonly { readonly name?: string | undefined }[] | undefined }[];
}

function checkContainerPorts(res: Resource, specPath: FieldPath, spec: PodSpecLike | undefined, problems: Problems): void {
  (spec?.containers ?? []).forEach((c, ci) =>
    (c.ports ?? []).forEach((p, pi) => {
      if (p.name === undefined) return;
      const problem = portNameProblem(p.name);
      if (problem !== undefined) problems.error(res, [...specPath, 'containers', ci, 'ports', pi, 'name'], { expected: 'a port name (an IANA service name: at most 15 lowercase letters, digits and -, with a letter)', found: JSON.stringify(p.name), message: problem });
    }),
  );
}

export function checkNames(v: ValidatedScenario, problems: Problems): void {
  for (const { res, obj } of v.pods) {
    checkLabels(res, ['metadata', 'labels'], obj.metadata.labels, problems);
    checkContainerPorts(res, ['spec'], obj.spec as PodSpecLike, problems);
  }
  for (const { res, obj } of [...v.controllers, ...v.daemonSets]) {
    checkLabels(res, ['metadata', 'labels'], obj.metadata.labels, problems);
    checkLabels(res, ['spec', 'template', 'metadata', 'labels'], obj.spec.template.metadata?.labels, problems);
    checkLabels(res, ['spec', 'selector', 'matchLabels'], obj.spec.selector?.matchLabels, problems);
    checkContainerPorts(res, ['spec', 'template', 'spec'], obj.spec.template.spec as PodSpecLike, problems);
  }
  for (const { res, obj } of v.services) {
    checkLabels(res, ['metadata', 'labels'], obj.metadata.labels, problems);
    checkLabels(res, ['spec', 'selector'], obj.spec.selector, problems);
    (obj.spec.ports ?? []).forEach((p, i) => {
      if (p.name !== undefined) {
        const problem = dns1123LabelProblem(p.name);
        if (problem !== undefined) problems.error(res, ['spec', 'ports', i, 'name'], { expected: 'a Service port name (a DNS-1123 label: lowercase letters, digits and -)', found: JSON.stringify(p.name), message: problem });
      }
      if (typeof p.targetPort === 'string') {
        const problem = portNameProblem(p.targetPort);
        if (problem !== undefined) problems.error(res, ['spec', 'ports', i, 'targetPort'], { expected: 'a port number, or the name of a container port (an IANA service name)', found: JSON.stringify(p.targetPort), message: problem });
      }
    });
  }
  for (const { res, obj } of v.clusters) {
    const spec = obj.spec;
    (spec.zones ?? []).forEach((z, i) => {
      checkZone(res, ['spec', 'zones', i, 'name'], z.name, problems);
      checkLabels(res, ['spec', 'zones', i, 'labels'], z.labels, problems);
    });
    (spec.nodes ?? []).forEach((n, i) => {
      checkZone(res, ['spec', 'nodes', i, 'zone'], n.zone, problems);
      checkLabels(res, ['spec', 'nodes', i, 'labels'], n.labels, problems);
    });
    (spec.nodeGroups ?? []).forEach((g, i) => {
      checkZone(res, ['spec', 'nodeGroups', i, 'zone'], g.zone, problems);
      checkLabels(res, ['spec', 'nodeGroups', i, 'labels'], g.labels, problems);
    });
  }
}
