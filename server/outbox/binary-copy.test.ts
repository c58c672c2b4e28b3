import { describe, expect, it } from "vitest";
import { parseBinaryCopy } from "./binary-copy";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

function int16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
}
function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

/** A binary COPY of the rows (strings as UTF-8, null as NULL), with a header extension of `extension` bytes. */
function copyData(rows: Array<Array<string | null>>, extension = 0): Buffer {
  const parts = [SIGNATURE, int32(0), int32(extension), Buffer.alloc(extension, 7)];
  for (const row of rows) {
    parts.push(int16(row.length));
    for (const column of row) {
      if (column === null) parts.push(int32(-1));
      else parts.push(int32(Buffer.byteLength(column)), Buffer.from(column));
    }
  }
  parts.push(int16(-1));
  return Buffer.concat(parts);
}

const text = (rows: Array<Array<Buffer | null>>) => rows.map((row) => row.map((column) => (column === null ? null : column.toString("utf8"))));

describe("parseBinaryCopy", () => {
  it("reads each column's bytes, NULLs and empty strings apart", () => {
    const rows = [
      ["a1", "{\"k\":\"é ☃ 😀\"}", ""],
      ["a2", null, "x"],
    ];
    expect(text(parseBinaryCopy(copyData(rows)))).toEqual(rows);
  });

  it("skips a header extension and reads a COPY of no rows", () => {
    expect(text(parseBinaryCopy(copyData([["only"]], 5)))).toEqual([["only"]]);
    expect(parseBinaryCopy(copyData([]))).toEqual([]);
  });

  it("gives views of the data, not copies", () => {
    const data = copyData([["abc"]]);
    const [[column]] = parseBinaryCopy(data) as [[Buffer]];
    expect(column.buffer).toBe(data.buffer);
  });

  it("reads the same rows from data cut into chunks anywhere, empty chunks included", () => {
    const rows = [
      ["a1", "{\"k\":\"é ☃ 😀\"}", ""],
      ["a2", null, "x".repeat(300)],
    ];
    const data = copyData(rows, 3);
    for (let cut = 0; cut <= data.length; cut++) {
      expect(text(parseBinaryCopy([data.subarray(0, cut), Buffer.alloc(0), data.subarray(cut)]))).toEqual(rows);
    }
    const bytes = Array.from(data, (byte) => Buffer.from([byte]));
    expect(text(parseBinaryCopy(bytes))).toEqual(rows);
  });

  it("refuses data without the signature, cut short, or with bytes after its trailer", () => {
    const data = copyData([["abc", "def"]]);
    expect(() => parseBinaryCopy(Buffer.from("COPY 1\n"))).toThrow("no PGCOPY signature");
    expect(() => parseBinaryCopy(data.subarray(0, data.length - 2))).toThrow("ends after 1 rows without its trailer");
    expect(() => parseBinaryCopy(data.subarray(0, data.length - 4))).toThrow("row 1 is cut short");
    expect(() => parseBinaryCopy(Buffer.concat([data, Buffer.from([0])]))).toThrow("1 bytes follow its trailer");
    expect(() => parseBinaryCopy([data.subarray(0, 30), data.subarray(30, data.length - 1)])).toThrow("ends after 1 rows without its trailer");
    expect(() => parseBinaryCopy([])).toThrow("no PGCOPY signature");
  });
});
