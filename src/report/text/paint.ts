/**
 * Colours a terminal summary may use, by meaning. The renderers take a {@link Paint} and default to
 * {@link PLAIN}; the command line chooses ANSI colours when its output is a terminal (src/cli/terminal.ts).
 * A painted cell is painted after the table is laid out, so colour codes never shift a column.
 */
export interface Paint {
  readonly enabled: boolean;
  /** Lost requests, objectives missed, failed runs. */
  bad(text: string): string;
  /** Worth a look: percentiles not reached, a CI that only the mean meets. */
  warn(text: string): string;
  /** Objectives met. */
  good(text: string): string;
  /** Section titles. */
  bold(text: string): string;
}

const same = (text: string): string => text;

export const PLAIN: Paint = { enabled: false, bad: same, warn: same, good: same, bold: same };
