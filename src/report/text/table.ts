/**
 * A small column formatter for terminal tables, in the style of `kubectl get`: a header row, columns
 * padded to their widest cell, separated by spaces, no borders, no trailing spaces.
 */

export type Align = 'left' | 'right';

export interface Column {
  readonly header: string;
  /** Default `left`. Numbers read best right-aligned. */
  readonly align?: Align;
}

export interface TableOptions {
  /** Prefix of every line. Default none. */
  readonly indent?: string;
  /** Spaces between columns. Default 3 (as kubectl). */
  readonly gap?: number;
  /** Print the header row. Default true. */
  readonly header?: boolean;
  /**
   * The width the table must fit (a terminal's). When the table is wider, the widest left-aligned cells
   * wrap onto continuation lines (after a comma, at a space); a word longer than its column stays whole.
   * Default none: one line per row, whatever its length (pipes, files).
   */
  readonly width?: number;
  /** Paints a data row's lines (after layout, so colour codes never shift a column); `index` from 0. */
  readonly paintRow?: (row: readonly string[], index: number) => ((line: string) => string) | undefined;
}

/** Display width of a cell (code points; the tables hold no wide characters). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function pad(s: string, w: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** A cell's breakable pieces: after each comma, and at spaces (kept with the piece before them). */
function pieces(cell: string): string[] {
  return cell.match(/[^, ]+(?:,|\s+)?|[, ]+/g) ?? [cell];
}

/** The longest piece of a column's cells: the narrowest it can wrap to. */
function narrowest(cells: readonly string[]): number {
  let n = 0;
  for (const c of cells) for (const p of pieces(c)) n = Math.max(n, width(p.trimEnd()));
  return n;
}

/** Greedy wrap of a cell into lines of at most `w` (a longer piece gets a line of its own). */
function wrap(cell: string, w: number): string[] {
  if (width(cell) <= w) return [cell];
  const lines: string[] = [];
  let line = '';
  for (const p of pieces(cell)) {
    if (line !== '' && width(line + p.trimEnd()) > w) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += p;
  }
  if (line !== '') lines.push(line.trimEnd());
  return lines;
}

/** Narrows the widest left-aligned columns until the table fits `limit` (or nothing can give more). */
function fitWidths(widths: number[], cols: readonly Column[], all: readonly (readonly string[])[], limit: number, fixed: number): void {
  const floor = cols.map((c, i) => (c.align === 'right' ? widths[i]! : Math.max(width(c.header), narrowest(all.map((r) => r[i] ?? '')))));
  for (;;) {
    const excess = fixed + widths.reduce((a, b) => a + b, 0) - limit;
    if (excess <= 0) return;
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) return;
    // Cut the widest down to the next widest wrappable column first, so the cuts are shared.
    let next = 0;
    for (let i = 0; i < widths.length; i++) if (i !== widest && widths[i]! > floor[i]!) next = Math.max(next, widths[i]!);
    const w = widths[widest]!;
    widths[widest] = Math.max(floor[widest]!, w - excess, next < w ? next : w - 1);
  }
}

/** Renders rows under columns; rows shorter than the columns are padded with empty cells. No final newline. */
export function renderTable(
  columns: readonly (Column | string)[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const cols: Column[] = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const indent = options.indent ?? '';
  const gapWidth = options.gap ?? 3;
  const gap = ' '.repeat(gapWidth);
  const header = options.header !== false;
  const all = header ? [cols.map((c) => c.header), ...rows] : rows;
  const widths = cols.map((_, i) => Math.max(0, ...all.map((r) => width(r[i] ?? ''))));
  if (options.width !== undefined) fitWidths(widths, cols, all, options.width, width(indent) + gapWidth * Math.max(0, cols.length - 1));
  const out: string[] = [];
  all.forEach((row, r) => {
    const cells = cols.map((_, i) => wrap(row[i] ?? '', widths[i]!));
    const height = Math.max(1, ...cells.map((c) => c.length));
    const index = header ? r - 1 : r;
    const paint = index >= 0 ? options.paintRow?.(row, index) : undefined;
    for (let k = 0; k < height; k++) {
      const line = (indent + cols.map((c, i) => pad(cells[i]![k] ?? '', widths[i]!, c.align ?? 'left')).join(gap)).trimEnd();
      out.push(paint ? paint(line) : line);
    }
  });
  return out.join('\n');
}
