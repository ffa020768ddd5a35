import { expect } from "chai";
import fc from "fast-check";

import { FIELD_MODULUS, Fp2, TWIST_B, toG2Struct } from "../../../../lib/bls";
import { fp2Sqrt, hashToField, hashToG2, mapToTwist } from "../../../../lib/bls/hashToG2";
import { hashToG2Vectors } from "../../../helpers/vectors";
import { FC_SEED } from "../../../helpers/env";

describe("lib/bls/hashToG2", function () {
  const { vectors } = hashToG2Vectors();

  describe("#hashToField", function () {
    for (const [index, vector] of vectors.entries()) {
      const expected = vector.hashToField;
      if (expected === undefined) continue;
      it(`reproduces vector ${index} (${(vector.message.length - 2) / 2}-byte message)`, function () {
        const { u0, u1, b } = hashToField(vector.message, vector.hashToFieldTag);
        expect({ u0, u1, b }).to.deep.equal(expected);
      });
    }
  });

  describe("#hashToG2", function () {
    for (const [index, vector] of vectors.entries()) {
      it(`reproduces vector ${index} (${(vector.message.length - 2) / 2}-byte message)`, function () {
        const point = toG2Struct(hashToG2(vector.message, vector.hashToFieldTag));
        expect({ X: [...point.X], Y: [...point.Y] }).to.deep.equal(vector.hashToG2);
      });
    }

    it("lands in the order-r subgroup", function () {
      for (const vector of vectors.slice(0, 3)) {
        expect(hashToG2(vector.message, vector.hashToFieldTag).isTorsionFree()).to.be.true;
      }
    });

    it("depends on the tag", function () {
      const [vector] = vectors;
      if (vector === undefined) throw new Error("no vectors");
      const other = `0x${"11".repeat(32)}`;
      expect(hashToG2(vector.message, other).equals(hashToG2(vector.message, vector.hashToFieldTag))).to.be.false;
    });
  });

  describe("#mapToTwist", function () {
    it("finds a point on the twist with both y components non-zero", function () {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), (message) => {
          const { point, attempt } = mapToTwist(message, `0x${"ab".repeat(32)}`);
          const { x, y } = point.toAffine();
          expect(Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), TWIST_B))).to.be.true;
          expect(attempt).to.be.below(256);
          expect(y.c0 !== 0n && y.c1 !== 0n).to.be.true;
        }),
        { numRuns: 50, seed: FC_SEED },
      );
    });
  });

  describe("#fp2Sqrt", function () {
    it("returns a square root whenever it finds one", function () {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 0n, max: FIELD_MODULUS - 1n }),
          fc.bigInt({ min: 1n, max: FIELD_MODULUS - 1n }),
          (c0, c1) => {
            const root = fp2Sqrt({ c0, c1 });
            if (root !== undefined) expect(Fp2.eql(Fp2.sqr(Fp2.create(root)), Fp2.create({ c0, c1 }))).to.be.true;
          },
        ),
        { numRuns: 200, seed: FC_SEED },
      );
    });

    it("finds a root of every square with a non-zero imaginary part", function () {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 1n, max: FIELD_MODULUS - 1n }),
          fc.bigInt({ min: 1n, max: FIELD_MODULUS - 1n }),
          (c0, c1) => {
            const square = Fp2.sqr(Fp2.create({ c0, c1 }));
            if (square.c1 === 0n) return;
            expect(fp2Sqrt(square)).to.not.equal(undefined);
          },
        ),
        { numRuns: 200, seed: FC_SEED },
      );
    });

    it("reports none for a real value (zero imaginary part)", function () {
      expect(fp2Sqrt({ c0: 4n, c1: 0n })).to.equal(undefined);
    });
  });
});
