// A flow's ports as the pack reads them (portIntervals): a port number, or an inclusive "low-high" text
// range; any other text opens nothing. Each row starts from a spelling the settings accept and changes one
// thing.
import * as assert from "assert";
import { portIntervals } from "../policy-pack/contract";

describe("contract: portIntervals reads only whole port ranges", () => {
  const rows: Array<[string, Array<number | string>, Array<[number, number]>]> = [
    ["a port number", [443], [[443, 443]]],
    ["a port as text", ["443"], [[443, 443]]],
    ["a range", ["1-21"], [[1, 21]]],
    ["text before a range", ["x1-21"], []],
    ["a sign before a range", ["-1-21"], []],
    ["text after a range", ["1-21x"], []],
    ["a second range after the first", ["1-21-30"], []],
    ["a range without its end", ["22-"], []],
    ["a range without its start", ["-22"], []],
    ["text before a port", ["tcp443"], []],
    ["text after a port", ["443/tcp"], []],
    ["a space inside", ["1 - 21"], []],
    [
      "a bad entry among good ones",
      [22, "ssh", "23-25"],
      [
        [22, 22],
        [23, 25],
      ],
    ],
  ];
  for (const [what, ports, expected] of rows) {
    it(`${what}: ${JSON.stringify(ports)} -> ${JSON.stringify(expected)}`, () => {
      assert.deepStrictEqual(portIntervals(ports), expected);
    });
  }
});
