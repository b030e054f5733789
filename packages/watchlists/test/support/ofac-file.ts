// A synthetic OFAC sdn.csv shape, shared by the hostile-input test ("large input") and the parse
// benchmark, so both measure the same file.

/** One raw sdn.csv row (12 columns, `-0- ` for empty, as OFAC writes them). */
export const OFAC_ROW = (id: number, type = '-0- ', remarks = '-0- '): string =>
  `${id},"NAME ${id}",${type},"IRAN",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,${remarks}`;

/**
 * About `targetBytes` of rows, 2% of them vessels (like the real sdn.csv's 851 of 14,965) with a
 * valid IMO, an MMSI and a former name; the rest carry a long sanctions remark.
 */
export function buildOfacFile(targetBytes: number): { text: string; rows: number; vessels: number } {
  const parts: string[] = [];
  let size = 0;
  let rows = 0;
  let vessels = 0;
  const remark = `"Additional Sanctions Information - Subject to Secondary Sanctions; ${'x'.repeat(120)}"`;
  while (size < targetBytes) {
    rows++;
    const isVessel = rows % 50 === 0;
    if (isVessel) vessels++;
    const imo = 9000000 + (rows % 100000) * 10;
    let check = 0;
    const s = String(imo / 10);
    for (let i = 0; i < 6; i++) check += Number(s[i]) * (7 - i);
    const row = isVessel
      ? OFAC_ROW(rows, '"vessel"', `"Vessel Registration Identification IMO ${imo + (check % 10)}; MMSI ${273000000 + rows}; f.k.a. 'OLD ${rows}'."`)
      : OFAC_ROW(rows, '-0- ', remark);
    parts.push(row);
    size += row.length + 2;
  }
  return { text: parts.join('\r\n'), rows, vessels };
}
