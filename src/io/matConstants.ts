/**
 * Numbers of the MATLAB Level 5 MAT-file format (MathWorks, "MAT-File Format", v5 through
 * R2014b): data element types (`mi*`), array classes (`mx*`) and array flag bits. Shared by the
 * reader and the fixture writer.
 */

/** Bytes in the file header: 116 text, 8 subsystem offset, 2 version, 2 endian indicator. */
export const MAT_HEADER_BYTES = 128;
export const MAT_HEADER_TEXT_BYTES = 116;
/** The only Level 5 version; v7.3 files (HDF5) carry 0x0200. */
export const MAT_VERSION_5 = 0x0100;

/** Data element types. 8, 10 and 11 are reserved. */
export const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
  UTF8: 16,
  UTF16: 17,
  UTF32: 18,
} as const;

/** Bytes per value of a numeric data element type (0: not a numeric type). */
export function miValueBytes(type: number): number {
  switch (type) {
    case MI.INT8:
    case MI.UINT8:
    case MI.UTF8:
      return 1;
    case MI.INT16:
    case MI.UINT16:
    case MI.UTF16:
      return 2;
    case MI.INT32:
    case MI.UINT32:
    case MI.SINGLE:
    case MI.UTF32:
      return 4;
    case MI.DOUBLE:
    case MI.INT64:
    case MI.UINT64:
      return 8;
    default:
      return 0;
  }
}

/** Name of a data element type for messages. */
export function miName(type: number): string {
  const entry = Object.entries(MI).find(([, v]) => v === type);
  return entry ? `mi${entry[0]}` : `type ${type}`;
}

/** Array classes (the low byte of the array flags). */
export const MX = {
  CELL: 1,
  STRUCT: 2,
  OBJECT: 3,
  CHAR: 4,
  SPARSE: 5,
  DOUBLE: 6,
  SINGLE: 7,
  INT8: 8,
  UINT8: 9,
  INT16: 10,
  UINT16: 11,
  INT32: 12,
  UINT32: 13,
  INT64: 14,
  UINT64: 15,
  /** Not in the published spec; written by MATLAB for function handles. */
  FUNCTION: 16,
  /** Not in the published spec; MATLAB's classdef objects (with subsystem data). */
  OPAQUE: 17,
} as const;

/** Classes kinemetry reads as numbers (or text, for char). */
export type MatNumericClass =
  | 'double'
  | 'single'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64';

/** Class name as MATLAB's `class()` reports it; `logical` when the logical flag is set. */
export type MatClassName = MatNumericClass | 'logical' | 'char';

/** Classes kinemetry skips, with a note. */
export type MatSkippedClass = 'cell' | 'struct' | 'object' | 'sparse' | 'function' | 'opaque' | 'unknown';

const NUMERIC_CLASS: Readonly<Record<number, MatNumericClass>> = {
  [MX.DOUBLE]: 'double',
  [MX.SINGLE]: 'single',
  [MX.INT8]: 'int8',
  [MX.UINT8]: 'uint8',
  [MX.INT16]: 'int16',
  [MX.UINT16]: 'uint16',
  [MX.INT32]: 'int32',
  [MX.UINT32]: 'uint32',
  [MX.INT64]: 'int64',
  [MX.UINT64]: 'uint64',
};

const SKIPPED_CLASS: Readonly<Record<number, MatSkippedClass>> = {
  [MX.CELL]: 'cell',
  [MX.STRUCT]: 'struct',
  [MX.OBJECT]: 'object',
  [MX.SPARSE]: 'sparse',
  [MX.FUNCTION]: 'function',
  [MX.OPAQUE]: 'opaque',
};

export function numericClassName(mxClass: number): MatNumericClass | undefined {
  return NUMERIC_CLASS[mxClass];
}

export function skippedClassName(mxClass: number): MatSkippedClass | undefined {
  return SKIPPED_CLASS[mxClass];
}

/** The array class code of a numeric class name. */
export function mxClassOf(name: MatNumericClass): number {
  return Number(Object.entries(NUMERIC_CLASS).find(([, v]) => v === name)![0]);
}

/** Array flag bits (in the first uint32 of the array flags subelement, above the class byte). */
export const MAT_FLAG_COMPLEX = 0x0800;
export const MAT_FLAG_GLOBAL = 0x0400;
export const MAT_FLAG_LOGICAL = 0x0200;
