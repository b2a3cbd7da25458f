/** Plain-text output for terminals: a column formatter, number formatting, the run summary and `describe`. */
export { renderTable, type Align, type Column, type TableOptions } from './table.js';
export { formatBytes, formatCompact, formatCost, formatDecimal, formatInt, formatPercent, formatSeconds, MISSING } from './format.js';
export { renderSummary, type SummaryOptions } from './summary.js';
export {
  DESCRIBE_KINDS,
  describeClients,
  describeEndpoints,
  describeNodes,
  describePods,
  describeServices,
  podStatus,
  renderDescribe,
  serviceClusterIP,
  serviceExternalIP,
  servicePorts,
  serviceSelector,
  type DescribeKind,
} from './describe.js';
