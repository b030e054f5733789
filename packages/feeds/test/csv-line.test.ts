import { describe, expect, it } from 'vitest';
import { CSV_MALFORMED, CsvSplitter, splitCsvLine } from '../src/csv/csv-line.ts';
import { parseDecimal } from '../src/csv/csv-number.ts';

describe('CsvSplitter / splitCsvLine', () => {
  it('splits plain fields, keeping empty ones', () => {
    expect(splitCsvLine('a,b,,d')).toEqual(['a', 'b', '', 'd']);
    expect(splitCsvLine('')).toEqual(['']);
    expect(splitCsvLine(',')).toEqual(['', '']);
    expect(splitCsvLine('a,')).toEqual(['a', '']);
  });

  it('unquotes RFC 4180 fields with delimiters and doubled quotes', () => {
    expect(splitCsvLine('1,"SEA, STAR",x')).toEqual(['1', 'SEA, STAR', 'x']);
    expect(splitCsvLine('"RAY ""CHIEF"" TONEY",,A')).toEqual(['RAY "CHIEF" TONEY', '', 'A']);
    expect(splitCsvLine('"",""""')).toEqual(['', '"']);
    expect(splitCsvLine('"a,b",')).toEqual(['a,b', '']);
  });

  it('ignores a trailing CR (CRLF files)', () => {
    expect(splitCsvLine('a,b\r')).toEqual(['a', 'b']);
    expect(splitCsvLine('a,"b"\r')).toEqual(['a', 'b']);
  });

  it('reports broken quoting instead of guessing', () => {
    const sp = new CsvSplitter();
    expect(sp.split('1,"unterminated,2')).toBe(CSV_MALFORMED);
    expect(sp.split('1,"closed"junk,2')).toBe(CSV_MALFORMED);
    expect(sp.split('"only ""escaped')).toBe(CSV_MALFORMED);
    expect(splitCsvLine('"x')).toBeNull();
  });

  it('keeps a quote inside an unquoted field literally (lenient, as spreadsheets write it)', () => {
    expect(splitCsvLine('5\'10",b')).toEqual(['5\'10"', 'b']);
  });

  it('supports other delimiters', () => {
    expect(splitCsvLine('a;"b;c";d', ';')).toEqual(['a', 'b;c', 'd']);
    expect(splitCsvLine('a\tb\t', '\t')).toEqual(['a', 'b', '']);
    expect(() => new CsvSplitter('"')).toThrow(RangeError);
  });

  it('grows past its initial capacity and records spans', () => {
    const sp = new CsvSplitter(',', 2);
    const line = Array.from({ length: 100 }, (_, i) => String(i)).join(',');
    expect(sp.split(line)).toBe(100);
    expect(sp.text(line, 99)).toBe('99');
    expect(line.slice(sp.starts[42]!, sp.ends[42]!)).toBe('42');
    sp.split(' ,x');
    expect(sp.isBlank(' ,x', 0)).toBe(true);
    expect(sp.isBlank(' ,x', 1)).toBe(false);
  });
});

describe('parseDecimal', () => {
  const p = (s: string): number | null => parseDecimal(s, 0, s.length);

  it('parses decimals, with sign and surrounding spaces', () => {
    expect(p('33.60716')).toBe(33.60716);
    expect(p('-117.91483')).toBe(-117.91483);
    expect(p('+5')).toBe(5);
    expect(p(' 12.5 ')).toBe(12.5);
    expect(p('.5')).toBe(0.5);
    expect(p('1.')).toBe(1);
    expect(p('1e3')).toBe(1000);
    expect(p('0.0000000000000000001')).toBe(1e-19);
    expect(p('12345678901234567890')).toBe(12345678901234567890);
  });

  it('returns null for blank and NaN for non-numbers (stricter than Number())', () => {
    expect(p('')).toBeNull();
    expect(p('   ')).toBeNull();
    for (const bad of ['-', '.', '-.', 'abc', '0x1A', 'Infinity', 'NaN', '1,5', '1.2.3', '12a', '1e', '--1']) {
      expect(p(bad), bad).toBeNaN();
    }
  });

  it('gives exactly the double Number() gives, on random decimals', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 20_000; i++) {
      const intDigits = Math.floor(rnd() * 10);
      const fracDigits = Math.floor(rnd() * 12);
      let s = rnd() < 0.3 ? '-' : '';
      for (let k = 0; k < intDigits; k++) s += Math.floor(rnd() * 10);
      if (fracDigits > 0 || intDigits === 0) {
        s += '.';
        for (let k = 0; k < Math.max(fracDigits, 1); k++) s += Math.floor(rnd() * 10);
      }
      expect(Object.is(p(s), Number(s)), s).toBe(true);
    }
  });

  it('reads a span in the middle of a line', () => {
    const line = 'x,30.3706,y';
    expect(parseDecimal(line, 2, 9)).toBe(30.3706);
  });
});
