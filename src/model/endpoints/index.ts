/** Endpoints of a Service port and which of them each node may use. */
export { computeEndpoints, hasSelector, isProxied, matchesSelector } from './compute-endpoints.js';
export { resolveTargetPort } from './target-port.js';
export { computeHints, noHints, type EndpointHints } from './hints.js';
export { allocateZoneHints, cpuRatiosByZone, zoneAllocations, OVERLOAD_THRESHOLD } from './topology-auto.js';
export { categorizeEndpoints, EndpointTopology, originSlot, type CategorizedEndpoints } from './topology.js';
