// Kubernetes quantities as the schema accepts them and as the quota totals are derived from them.
import * as assert from "assert";
import { isQuantity, multiplyQuantity, parseQuantity } from "../config/quantity";

describe("Kubernetes quantities", () => {
  it("accepts every form Kubernetes writes: plain, fractional, binary and decimal suffixes, exponents", () => {
    for (const text of ["2", "500m", "4Gi", "10G", "1.25Gi", ".25", "0.5", "1e3", "1E3", "1e+3", "2e-3", "1e12"]) {
      assert.ok(isQuantity(text), text);
    }
  });

  it("rejects what Kubernetes would reject", () => {
    for (const text of ["", "Gi", "x10", "10 Gi", "10gb", "10GiB", "1.", "1.5.5", "-1", "1e", "1e+", "1x3", "."]) {
      assert.ok(!isQuantity(text), text);
    }
  });

  it("reads a quantity in base units", () => {
    const cases: [string, number][] = [
      ["2", 2],
      ["0.5", 0.5],
      ["500m", 0.5],
      ["250u", 250e-6],
      ["3n", 3 * 1e-9],
      ["1k", 1000],
      ["10G", 10e9],
      ["2M", 2e6],
      ["1T", 1e12],
      ["1P", 1e15],
      ["1E", 1e18],
      ["1Ki", 1024],
      ["4Mi", 4 * 2 ** 20],
      ["1.5Gi", 1.5 * 2 ** 30],
      ["1Ti", 2 ** 40],
      ["1Pi", 2 ** 50],
      ["1Ei", 2 ** 60],
      ["1e3", 1000],
      ["2e-3", 0.002],
      ["1E+2", 100],
    ];
    for (const [text, value] of cases) {
      assert.strictEqual(parseQuantity(text), value, text);
    }
  });

  it("refuses to read a malformed quantity, naming it", () => {
    assert.throws(() => parseQuantity("10gb"), /"10gb" is not a Kubernetes quantity \(examples: 500m/);
    assert.throws(() => multiplyQuantity("lots", 2), /"lots" is not a Kubernetes quantity/);
  });

  it("multiplies a quantity keeping its unit, so a quota reads like the per-workspace size", () => {
    assert.strictEqual(multiplyQuantity("20Gi", 10), "200Gi");
    assert.strictEqual(multiplyQuantity("500m", 3), "1500m");
    assert.strictEqual(multiplyQuantity("2", 4), "8");
    assert.strictEqual(multiplyQuantity("1.5", 2), "3");
  });

  it("writes a fractional core count in millicores, and any other fractional product in base units", () => {
    assert.strictEqual(multiplyQuantity("0.5", 3), "1500m");
    assert.strictEqual(multiplyQuantity("0.0005", 3), "2m");
    assert.strictEqual(multiplyQuantity("1.5m", 3), "5m");
    assert.strictEqual(multiplyQuantity("1.5Gi", 3), String(Math.ceil(4.5 * 2 ** 30)));
  });
});
