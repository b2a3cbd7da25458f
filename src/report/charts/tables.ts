/** Every table section of a report (tables with a section of their own, no figure), in page order. */
import type { ReportInput } from '../inputs.js';
import type { TableSection } from './chart.js';
import { eventsTable, eventsTableData } from './events-table.js';

export type TableBuilder = (input: ReportInput) => TableSection | null;

export const TABLES: readonly TableBuilder[] = [(input) => eventsTable(eventsTableData(input))];
