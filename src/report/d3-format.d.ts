/** The part of d3-format (3.x) the report uses; the package ships no types and @types/d3-format is not installed. */
declare module 'd3-format' {
  export interface FormatLocaleDefinition {
    decimal: string;
    thousands: string;
    grouping: number[];
    currency: [string, string];
    numerals?: string[];
    percent?: string;
    minus?: string;
    nan?: string;
  }
  export interface FormatLocaleObject {
    format(specifier: string): (n: number | { valueOf(): number }) => string;
    formatPrefix(specifier: string, value: number): (n: number | { valueOf(): number }) => string;
  }
  export function formatLocale(definition: FormatLocaleDefinition): FormatLocaleObject;
  export function format(specifier: string): (n: number | { valueOf(): number }) => string;
}
