/**
 * The scenario layer: YAML (Kubernetes manifests + netsim/v1 kinds) -> a validated, resolved ModelSpec,
 * with diagnostics that carry file:line:col. The only layer that knows the input format.
 */
export {
  loadScenario,
  loadScenarioText,
  prepareScenario,
  resolveScenario,
  type LoadOptions,
  type LoadResult,
  type PreparedScenario,
  readScenarioFile,
} from './load.js';
export { applyOverrides, OVERRIDE_FILE } from './overrides.js';
export { readDocuments, DEFAULT_MAX_ALIAS_COUNT, DEFAULT_MAX_FILE_BYTES, type IgnoredResource, type ScenarioFile } from './documents.js';
export { Resource } from './resource.js';
export { Problems } from './problems.js';
export {
  describeValue,
  formatDiagnostic,
  formatDiagnostics,
  sortDiagnostics,
  type Diagnostic,
  type Severity,
} from './diagnostics.js';
export { formatPath, parseOverride, parseTarget, type ParsedOverride, type ParsedTarget } from './path.js';
export { DEFAULTS } from './defaults.js';
export { POD_ANNOTATIONS, SERVICE_ANNOTATIONS } from './annotations.js';
export { SUPPORTED_KINDS } from './kinds/registry.js';
export { formatIgnored, ignoredHeading } from './ignored.js';
export { PLACEMENT_MODES, type PlacementMode } from './dump-pods.js';
