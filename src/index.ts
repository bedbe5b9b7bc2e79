/**
 * kinemetry — browser-safe core. Every stage is reachable from here in one hop.
 * Node-only parts (files, CLI, Node BLE) live in `kinemetry/node` (src/node.ts).
 *
 * Conventions (see README "Conventions"): quaternions [w,x,y,z] Hamilton, q_GS maps sensor to
 * global coordinates; global frame East-North-Up; SI units inside (s, m/s², rad/s, µT).
 */

// math/ — flat, allocation-free functions over Float64Array, `out` first.
export * as vec3 from './math/vec3';
export * as quat from './math/quat';
export * as mat3 from './math/mat3';
export * as angle from './math/angle';
export * as stats from './math/stats';
export * from './math/euler';
export * from './math/butterworth';
export * from './math/errors';
export { symmetricEigen } from './math/symmetricEigen';
export { indexAtOrAfter } from './math/search';

// samples/ — the SampleBlock every stage shares, units, validation, resampling, alignment.
export * from './samples/block';
export * from './samples/construct';
export * from './samples/units';
export * from './samples/validate';
export * from './samples/rate';
export * as resample from './samples/resample';
export { resampleBlock } from './samples/resample';
export * from './samples/align';
export * from './samples/errors';

// io/ — recording formats (browser-safe parsers and writers over text chunks).
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

// io/ble/ — Bluetooth LE sensors: transports (browser, fake replay), drivers (Polar, Movesense, WitMotion, MetaWear, Thingy:52, generic profiles).
export * from './io/ble/index';

// fusion/ — orientation filters (VQF-class real-time and offline, Madgwick, Mahony), magnetometer
// calibration, gyroscope bias from still periods.
export * from './fusion/index';

// kinematics/ — body model, sensor-to-segment calibration, joint angles, ROM and norms.
export * from './kinematics/index';

// sim/ — motion and IMU simulator with exact ground truth.
export * as sim from './sim/index';

// reps/ — repetition segmentation: automatic single-sensor signal, streaming segmenter, offline counter.
export * from './reps/index';

// quality/ — per-rep measures, template mode, session summary.
export * from './quality/index';

// report/ — the analysis report model and its self-contained HTML rendering.
export * as report from './report/index';

// pipeline/ — rxjs live streams: sources (BLE with reconnect, recordings), stage operators, recording sinks.
export * from './pipeline/index';
