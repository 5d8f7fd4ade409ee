/**
 * A borderless, aligned table that fits a given width. Column widths are chosen here (the
 * flexible columns shrink, their text wraps); cli-table3 lays the cells out, measuring text
 * with string-width so colours and wide characters never misalign a column.
 */
import Table from 'cli-table3';

export interface Column {
  header: string;
  /** Shrinks (and wraps) to fit the width, down to `min`. Fixed columns keep their natural width. */
  flex?: { min: number; priority: number };
}

/** Spaces between columns: two read as a gap, one reads as a word break. */
export const GAP = 2;

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' '.repeat(GAP),
};

/** Visible length of plain text (cells are wrapped before they are coloured). */
function len(s: string): number {
  return [...s].length;
}

/** Characters after which a long word may break: path and name separators. */
const BREAK_AFTER = /[/\\_.:,›>)\]-]/;

/**
 * Wraps plain text to `width`: at spaces first, then after separators (`/`, `_`, `.`, `-`, …),
 * and as a last resort inside a word. Never returns a line longer than `width`.
 */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      let rest = word;
      while (rest.length > 0) {
        const sep = line.length > 0 ? 1 : 0;
        if (len(line) + sep + len(rest) <= w) {
          line = line.length > 0 ? `${line} ${rest}` : rest;
          rest = '';
        } else if (line.length > 0 && len(rest) <= w) {
          out.push(line);
          line = '';
        } else {
          const room = w - len(line) - sep;
          const chars = [...rest];
          let cut = -1;
          for (let i = Math.min(room, chars.length) - 1; i >= 0; i--) {
            if (BREAK_AFTER.test(chars[i])) {
              cut = i + 1;
              break;
            }
          }
          if (cut <= 0 && line.length > 0) {
            out.push(line);
            line = '';
            continue;
          }
          if (cut <= 0) cut = room;
          const head = chars.slice(0, cut).join('');
          line = line.length > 0 ? `${line} ${head}` : head;
          out.push(line);
          line = '';
          rest = chars.slice(cut).join('');
        }
      }
    }
    out.push(line);
  }
  return out;
}

/**
 * Natural width of each column, then shrink the flexible ones (lowest priority first) until
 * the table fits `width`. Returns the widths.
 */
export function fitWidths(columns: readonly Column[], cells: readonly string[][], width: number): number[] {
  const natural = columns.map((c, i) => Math.max(...[c.header, ...cells.map((row) => row[i] ?? '')].flatMap((s) => s.split('\n')).map(len), 1));
  const widths = [...natural];
  const total = (): number => widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  const order = columns.map((c, i) => ({ c, i })).filter((x) => x.c.flex).sort((a, b) => (a.c.flex?.priority ?? 0) - (b.c.flex?.priority ?? 0));
  for (const { c, i } of order) {
    const over = total() - width;
    if (over <= 0) break;
    widths[i] = Math.max(c.flex?.min ?? 1, widths[i] - over);
  }
  return widths;
}

export interface RenderedCell {
  text: string;
  /** Applied to each wrapped line (colour). */
  style?: (s: string) => string;
}

/** Renders rows of plain-text cells in columns of the given widths. Trailing spaces trimmed. */
export function renderTable(columns: readonly Column[], rows: readonly RenderedCell[][], widths: readonly number[], headerStyle: (s: string) => string): string {
  const table = new Table({
    chars: NO_BORDERS,
    style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [], compact: true },
    colWidths: [...widths],
    wordWrap: false,
  });
  const cell = (c: RenderedCell, i: number): string => {
    const lines = wrap(c.text, widths[i]);
    return lines.map((l) => (c.style && l.length > 0 ? c.style(l) : l)).join('\n');
  };
  table.push(columns.map((c, i) => cell({ text: c.header, style: headerStyle }, i)));
  for (const row of rows) table.push(row.map((c, i) => cell(c, i)));
  return table
    .toString()
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n');
}
