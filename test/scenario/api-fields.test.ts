/**
 * Every field the Kubernetes API defines for the kinds a dump holds is accepted without a "did you mean"
 * warning: the typo check (near-miss.ts) must only fire on fields no Kubernetes object has. The lists are
 * the API reference's fields (kubernetes.io/docs/reference/kubernetes-api/) of v1.31.
 */
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { autoscalerSchema } from '../../src/scenario/kinds/autoscaler.js';
import { daemonSetSchema, deploymentSchema, replicaSetSchema, replicationControllerSchema, statefulSetSchema } from '../../src/scenario/kinds/controllers.js';
import { disruptionBudgetSchema } from '../../src/scenario/kinds/disruption-budget.js';
import { endpointSliceSchema } from '../../src/scenario/kinds/endpoint-slice.js';
import { nodeSchema } from '../../src/scenario/kinds/node.js';
import { podSchema } from '../../src/scenario/kinds/pod.js';
import { serviceSchema } from '../../src/scenario/kinds/service.js';
import { findNearMisses } from '../../src/scenario/near-miss.js';

/** An object with each of these keys (values do not matter to the check). */
const keys = (list: string): Record<string, unknown> => Object.fromEntries(list.split(/\s+/).filter(Boolean).map((k) => [k, 'x']));

const META = keys('annotations creationTimestamp deletionGracePeriodSeconds deletionTimestamp finalizers generateName generation labels managedFields name namespace ownerReferences resourceVersion selfLink uid');
const CONTAINER = {
  ...keys('args command env envFrom image imagePullPolicy livenessProbe name resizePolicy restartPolicy securityContext startupProbe stdin stdinOnce terminationMessagePath terminationMessagePolicy tty volumeDevices volumeMounts workingDir'),
  ports: [keys('containerPort hostIP hostPort name protocol')],
  readinessProbe: keys('exec failureThreshold grpc httpGet initialDelaySeconds periodSeconds successThreshold tcpSocket terminationGracePeriodSeconds timeoutSeconds'),
  lifecycle: keys('postStart preStop stopSignal'),
  resources: keys('claims limits requests'),
};
const POD_SPEC = {
  ...keys(
    'activeDeadlineSeconds automountServiceAccountToken dnsConfig dnsPolicy enableServiceLinks ephemeralContainers hostAliases hostIPC hostNetwork hostPID hostUsers hostname imagePullSecrets initContainers nodeName nodeSelector os overhead preemptionPolicy priority priorityClassName readinessGates resourceClaims resources restartPolicy runtimeClassName schedulerName schedulingGates securityContext serviceAccount serviceAccountName setHostnameAsFQDN shareProcessNamespace subdomain terminationGracePeriodSeconds volumes',
  ),
  containers: [CONTAINER],
  affinity: keys('nodeAffinity podAffinity podAntiAffinity'),
  tolerations: [keys('effect key operator tolerationSeconds value')],
  topologySpreadConstraints: [keys('labelSelector matchLabelKeys maxSkew minDomains nodeAffinityPolicy nodeTaintsPolicy topologyKey whenUnsatisfiable')],
};
const TEMPLATE = { metadata: META, spec: POD_SPEC };

const OBJECTS: readonly (readonly [string, z.ZodType, unknown])[] = [
  ['Pod', podSchema, { metadata: META, spec: POD_SPEC, status: keys('conditions containerStatuses ephemeralContainerStatuses hostIP hostIPs initContainerStatuses message nominatedNodeName phase podIP podIPs qosClass reason resize resourceClaimStatuses startTime') }],
  ['Deployment', deploymentSchema, { metadata: META, spec: { ...keys('minReadySeconds paused progressDeadlineSeconds replicas revisionHistoryLimit selector strategy'), template: TEMPLATE }, status: keys('availableReplicas collisionCount conditions observedGeneration readyReplicas replicas unavailableReplicas updatedReplicas') }],
  ['ReplicaSet', replicaSetSchema, { metadata: META, spec: { ...keys('minReadySeconds replicas selector'), template: TEMPLATE }, status: keys('availableReplicas conditions fullyLabeledReplicas observedGeneration readyReplicas replicas') }],
  ['StatefulSet', statefulSetSchema, { metadata: META, spec: { ...keys('minReadySeconds ordinals persistentVolumeClaimRetentionPolicy podManagementPolicy replicas revisionHistoryLimit selector serviceName updateStrategy volumeClaimTemplates'), template: TEMPLATE } }],
  ['DaemonSet', daemonSetSchema, { metadata: META, spec: { ...keys('minReadySeconds revisionHistoryLimit selector updateStrategy'), template: TEMPLATE } }],
  ['ReplicationController', replicationControllerSchema, { metadata: META, spec: { ...keys('minReadySeconds replicas selector'), template: TEMPLATE } }],
  ['Service', serviceSchema, { metadata: META, spec: { ...keys('allocateLoadBalancerNodePorts clusterIP clusterIPs externalIPs externalName externalTrafficPolicy healthCheckNodePort internalTrafficPolicy ipFamilies ipFamilyPolicy loadBalancerClass loadBalancerIP loadBalancerSourceRanges publishNotReadyAddresses selector sessionAffinity sessionAffinityConfig trafficDistribution type'), ports: [keys('appProtocol name nodePort port protocol targetPort')] }, status: { conditions: [], loadBalancer: { ingress: [keys('hostname ip ipMode ports')] } } }],
  ['Node', nodeSchema, { metadata: META, spec: keys('configSource externalID podCIDR podCIDRs providerID taints unschedulable'), status: keys('addresses allocatable capacity conditions config daemonEndpoints features images nodeInfo phase runtimeHandlers volumesAttached volumesInUse') }],
  ['EndpointSlice', endpointSliceSchema, { metadata: META, addressType: 'IPv4', endpoints: [keys('addresses conditions deprecatedTopology hints hostname nodeName targetRef zone')], ports: [keys('appProtocol name port protocol')] }],
  ['HorizontalPodAutoscaler', autoscalerSchema, { metadata: META, spec: keys('behavior maxReplicas metrics minReplicas scaleTargetRef'), status: keys('conditions currentMetrics currentReplicas desiredReplicas lastScaleTime observedGeneration') }],
  ['PodDisruptionBudget', disruptionBudgetSchema, { metadata: META, spec: keys('maxUnavailable minAvailable selector unhealthyPodEvictionPolicy'), status: keys('conditions currentHealthy desiredHealthy disruptedPods disruptionsAllowed expectedPods observedGeneration') }],
];

describe('no "did you mean" for a field the API defines', () => {
  test.each(OBJECTS)('%s', (_, schema, value) => {
    expect(findNearMisses(schema, value)).toEqual([]);
  });

  test('the check still catches a typo (the test can fail)', () => {
    expect(findNearMisses(serviceSchema, { spec: keys('externalTraficPolicy') }).map((m) => m.suggestion)).toEqual(['externalTrafficPolicy']);
  });
});
