/**
 * kinemetry/formats — recordings (browser-safe parsers and writers over text or byte chunks):
 * canonical CSV, OpenSim STO, Xsens, delimited with a column map, BIDS motion, MetaMotion, MAT
 * (v5/v7.3-free), the BROAD benchmark; the format table and detection; unit parsing for labelled
 * columns; `fromRecording` (File / Blob / stream → Observable of blocks), the CSV sinks for
 * `record` and the browser stores it can write to while streaming (IndexedDB, OPFS) with their
 * readers. Node file and session readers are in `kinemetry/node`.
 */
export * from './io/errors';
export type * from './io/format';
export * from './io/formats';
export * from './io/canonicalCsv';
export * from './io/canonicalCsvWriter';
export * from './io/stream';
export { StoParser, parseSto, stoFormat } from './io/sto';
export { StoWriter, formatSto, formatStoAsync, stoText, type StoWriterOptions } from './io/stoWriter';
export { XsensParser, parseXsens, xsensFormat } from './io/xsens';
export { DelimitedParser, parseDelimited, delimitedFormat } from './io/delimited';
export { parseColumnMap, ColumnMapError, type ColumnMap } from './io/columnMap';
export * from './io/bids';
export * from './io/bidsWriter';
export { parseBidsName, formatBidsName, bidsCompanionNames, isBidsMotionFileName, type BidsName } from './io/bidsNames';
export { parseBidsChannels, formatBidsChannels, type BidsChannel } from './io/bidsChannels';
export * from './io/metamotion';
export * from './io/metamotionMerge';
export { readMat, readMatHeader, matColumn, matRowMajor, describeMatVariables } from './io/mat';
export type { MatFile, MatArray, MatSkipped, MatHeader, MatClassName } from './io/mat';
export { MatFormatError } from './io/matError';
export { matFormat, MatChunkParser } from './io/matFormat';
export { readBroadTrial, broadErrors, broadErrorAnglesRad, BroadMetricError, BROAD_RATE_HZ } from './io/broad';
export type { BroadTrial, BroadErrors } from './io/broad';
export { UnknownUnitError, internalUnit, knownUnitNames, parseUnit, toInternalInPlace } from './samples/units';
export * from './pipeline/fromRecording';
export { CanonicalCsvSink, MemoryCsvSink, type CsvPiece } from './pipeline/sinks';
// Browser recording stores, written while streaming (one commit per block), and their readers.
export * from './pipeline/indexedDbSink';
export * from './pipeline/opfsSink';
export { RecordingStoreError, type StoredRecordingFile } from './pipeline/storeErrors';
