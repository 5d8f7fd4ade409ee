/**
 * A borderless, aligned table that fits a given width: the flexible columns shrink and their
 * text wraps. The reporter's matrix and toScaleLinearly's level table both use it. Our own
 * renderer rather than cli-table3: cli-table3 spent about 1 ms per row and its layout pass
 * grows with the square of the row count (10,000 rows took over 40 s), while this one is
 * linear and does the same alignment. Text is measured in terminal columns, so colours and
 * wide characters never misalign a column.
 */
import stringWidth from 'string-width';

/** One step of shrinking a column: down to `min`, in order of `priority` (lowest first). */
export interface Shrink {
  min: number;
  priority: number;
}

export interface Column {
  header: string;
  /** Shrinks (and wraps) to fit the width, step by step. Fixed columns keep their natural width. */
  flex?: Shrink[];
}

export interface RenderedCell {
  text: string;
  /** Applied to each wrapped line (colour). */
  style?: (s: string) => string;
}

/** Spaces between columns: two read as a gap, one reads as a word break. */
export const GAP = 2;

/** Grapheme clusters: an emoji with its modifiers or a letter with its accents is one unit to cut. */
const graphemes = new Intl.Segmenter();

function clusters(s: string): string[] {
  return Array.from(graphemes.segment(s), (g) => g.segment);
}

/**
 * Terminal columns a string takes: ANSI codes take none, wide characters and emoji two,
 * combining marks none (the `string-width` package, which follows Unicode's East Asian Width
 * and emoji data rather than a hand-kept list of ranges).
 */
export function displayWidth(s: string): number {
  return stringWidth(s);
}

/** Characters after which a long word may break: path and name separators. */
const BREAK_AFTER = /[/\\_.:,›>)\]-]/;

/** The longest head of `chars` that fits `room` columns, preferring a cut after a separator. */
function cutPoint(chars: string[], room: number, preferSeparator: boolean): number {
  let fit = 0;
  let used = 0;
  while (fit < chars.length && used + displayWidth(chars[fit]) <= room) used += displayWidth(chars[fit++]);
  if (!preferSeparator) return fit;
  for (let i = fit - 1; i >= 0; i--) if (BREAK_AFTER.test(chars[i])) return i + 1;
  return 0;
}

/**
 * Wraps plain text to `width` columns: at spaces first, then after separators (`/`, `_`, `.`,
 * `-`, …), and as a last resort inside a word. Never returns a line wider than `width`.
 */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    const flush = (): void => {
      out.push(line);
      line = '';
      lineWidth = 0;
    };
    for (const word of para.split(/ +/)) {
      let rest = word;
      while (rest.length > 0) {
        const sep = line.length > 0 ? 1 : 0;
        const restWidth = displayWidth(rest);
        if (lineWidth + sep + restWidth <= w) {
          line = sep ? `${line} ${rest}` : rest;
          lineWidth += sep + restWidth;
          rest = '';
        } else if (line.length > 0 && restWidth <= w) {
          flush();
        } else {
          const chars = clusters(rest);
          let cut = cutPoint(chars, w - lineWidth - sep, true);
          if (cut === 0 && line.length > 0) {
            flush();
            continue;
          }
          if (cut === 0) cut = Math.max(1, cutPoint(chars, w, false));
          const head = chars.slice(0, cut).join('');
          line = sep ? `${line} ${head}` : head;
          flush();
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
  const natural = columns.map((c, i) => {
    let max = 1;
    for (const s of [c.header, ...cells.map((row) => row[i] ?? '')]) for (const l of s.split('\n')) max = Math.max(max, displayWidth(l));
    return max;
  });
  const widths = [...natural];
  const total = (): number => widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  const steps = columns.flatMap((c, i) => (c.flex ?? []).map((s) => ({ ...s, i }))).sort((a, b) => a.priority - b.priority);
  for (const { min, i } of steps) {
    const over = total() - width;
    if (over <= 0) break;
    widths[i] = Math.min(widths[i], Math.max(min, widths[i] - over));
  }
  return widths;
}

/** Renders a header and rows of plain-text cells in columns of the given widths. */
export function renderTable(columns: readonly Column[], rows: readonly RenderedCell[][], widths: readonly number[], headerStyle: (s: string) => string): string {
  const lines: string[] = [];
  const emit = (cells: readonly RenderedCell[]): void => {
    const wrapped = cells.map((c, i) => wrap(c.text, widths[i]));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let l = 0; l < height; l++) {
      let line = '';
      for (let i = 0; i < cells.length; i++) {
        const text = wrapped[i][l] ?? '';
        const style = cells[i].style;
        line += text.length > 0 && style ? style(text) : text;
        if (i < cells.length - 1) line += ' '.repeat(Math.max(0, widths[i] - displayWidth(text)) + GAP);
      }
      lines.push(line.replace(/ +$/, ''));
    }
  };
  emit(columns.map((c) => ({ text: c.header, style: headerStyle })));
  for (const row of rows) emit(row);
  return lines.join('\n');
}
