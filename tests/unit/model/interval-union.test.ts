import * as fc from "fast-check";
import { IntervalUnion } from "../../../model/interval-union";

describe("IntervalUnion", () => {
  it("answers overlap queries exactly like a scan over every added range", () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 40 })).map(([first, length]) => [BigInt(first), BigInt(first + length)] as const);
    fc.assert(
      fc.property(fc.array(range, { maxLength: 30 }), fc.array(range, { maxLength: 30 }), (added, queries) => {
        const union = new IntervalUnion();
        for (const [first, last] of added) union.add(first, last);
        for (const [first, last] of queries) {
          const expected = added.some(([f, l]) => f <= last && l >= first);
          const found = union.overlapping(first, last);
          expect(found !== undefined).toBe(expected);
          if (found) expect(found.first <= last && found.last >= first).toBe(true);
        }
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
