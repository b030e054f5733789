/**
 * Decimal parsing straight from a span of the line, so numeric CSV cells need no substring.
 *
 * Fast path: `[+-]digits[.digits]` with at most 15 significant digits. The digits form an
 * integer below 2^53 and the divisor is a power of ten ≤ 1e15, both exact doubles, so one IEEE
 * division gives the correctly rounded value: the same double `Number(text)` returns (Clinger's
 * fast path). Anything else (exponents, longer mantissas) falls back to `Number` behind a
 * strict pattern, because `Number` alone accepts "0x1A", "Infinity" and "" (= 0).
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
// `\d+(?:\.\d*)?`, not `\d+\.?\d*`: without the dot the two digit runs could split a long run of
// digits every possible way before failing (quadratic; test/reliability/12-regex-hardening.test.ts).
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number in line[start, end), surrounding spaces and tabs ignored. Returns null when the span is
 * blank and NaN when it is not a plain decimal number.
 */
export function parseDecimal(line: string, start: number, end: number): number | null {
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  if (start === end) return null;
  let p = start;
  let c = line.charCodeAt(p);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    p++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let dot = false;
  let sawDigit = false;
  for (; p < end; p++) {
    c = line.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      if (digits === 15) return slow(line, start, end);
      sawDigit = true;
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
      if (dot) fraction++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return slow(line, start, end);
    }
  }
  // "-", "." and "-." are not numbers.
  if (!sawDigit) return NaN;
  if (fraction > 15) return slow(line, start, end);
  const v = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
  return negative ? -v : v;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function slow(line: string, start: number, end: number): number {
  const s = line.slice(start, end);
  return DECIMAL.test(s) ? Number(s) : NaN;
}
