/**
 * Strict number parsing for CSV fields. `Number()` alone is too lenient for measurement data
 * (it reads '' and ' ' as 0, '0x1f' as 31), which would turn a damaged file into plausible
 * values. Formatting is the exact inverse: shortest round-trip decimal, with the sign of −0.
 */

const DECIMAL_RE = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const SPECIAL_RE = /^\s*([+-]?)(nan|inf|infinity)\s*$/i;
const BLANK_RE = /^\s*$/;

/**
 * Parse one field. Returns `undefined` when the text is not a number. An empty field is a
 * missing value and reads as NaN (kept, so validation reports it). `NaN`, `Inf`, `Infinity`
 * (any case, optional sign) are accepted. With `decimalComma`, `1,5` reads as 1.5 (for files
 * whose delimiter is `;` or tab, as spreadsheets in many locales write them).
 */
export function parseNumberField(text: string, decimalComma: boolean): number | undefined {
  if (DECIMAL_RE.test(text)) return +text;
  if (decimalComma && text.indexOf(',') !== -1) {
    const dotted = text.replace(',', '.');
    return DECIMAL_RE.test(dotted) ? +dotted : undefined;
  }
  if (BLANK_RE.test(text)) return NaN;
  const m = SPECIAL_RE.exec(text);
  if (!m) return undefined;
  if (m[2]!.toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

/** Shortest text that {@link parseNumberField} reads back as the same double (−0 included). */
export function formatNumberField(x: number): string {
  return x === 0 && 1 / x < 0 ? '-0' : String(x);
}
