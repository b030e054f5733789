import { afterAll, describe, expect, it } from 'vitest';
import { boolArray, float8Array, int2Array, int4Array, textArray } from '../src/array-params.ts';
import { openTestDatabase, testConfig } from '../../../test/support/harness.ts';

/**
 * The store's upsert arrays go as binary parameters (issue 16) instead of pg's text literals: on
 * the real server, each must read back exactly as the plain array pg would have sent as text.
 */
const database = openTestDatabase(testConfig());
afterAll(() => database.close());

async function sameOnServer(type: string, binary: Buffer | null, values: unknown[]): Promise<void> {
  expect(binary).not.toBeNull();
  // float8 compared by its bits (float8send), so -0, NaN and the last bit all count.
  const show = type === 'float8' ? `(SELECT array_agg(float8send(x)) FROM unnest($1::float8[]) x)::text` : `$1::${type}[]::text`;
  const [fromBinary, fromText] = await Promise.all([database.pool.query(`SELECT ${show} AS v`, [binary]), database.pool.query(`SELECT ${show} AS v`, [values])]);
  expect(fromBinary.rows[0].v).toBe(fromText.rows[0].v);
}

describe('binary array parameters', () => {
  it('read back as the text arrays pg sends', async () => {
    const ints = [0, -0, 1, -1, 230_000_000, 999_999_999, 2_147_483_647, -2_147_483_648, null];
    await sameOnServer('int4', int4Array(ints.length, (i) => ints[i]!), ints);
    const smalls = [0, 1, -1, 99, 32_767, -32_768, null];
    await sameOnServer('int2', int2Array(smalls.length, (i) => smalls[i]!), smalls);
    const doubles = [0, -0, 1.5, 1736899200000, 1736899200000.5, 0.1, 1e-300, -1.7976931348623157e308, Number.MIN_VALUE, NaN, Infinity, -Infinity, null];
    await sameOnServer('float8', float8Array(doubles.length, (i) => doubles[i]!), doubles);
    const bools = [true, false, null];
    await sameOnServer('bool', boolArray(bools.length, (i) => bools[i]!), bools);
    const texts = ['MT', '', 'NULL', 'a "quoted", {braced} \\ back\\slashed', 'Ørsted ÆØÅ – 船 🚢', 'lone \ud800 surrogate', 'tab\tnew\nline', null];
    await sameOnServer('text', textArray(texts.length, (i) => texts[i]!), texts);
    await sameOnServer('int4', int4Array(0, () => 0), []);
    await sameOnServer('text', textArray(0, () => ''), []);
  });

  it('give way to the text array when binary would read otherwise', () => {
    // Out of range or fractional: text COPY refuses them (a data error the batch isolates); binary would wrap.
    expect(int4Array(1, () => 2_147_483_648)).toBeNull();
    expect(int4Array(2, (i) => [1, 1.5][i]!)).toBeNull();
    expect(int4Array(1, () => NaN)).toBeNull();
    expect(int2Array(1, () => 32_768)).toBeNull();
    expect(int2Array(1, () => -32_769)).toBeNull();
    // A NUL character: refused by the server either way, as text.
    expect(textArray(1, () => 'a\0b')).toBeNull();
  });
});
