/**
 * report/ — the analysis report: a plain data model ({@link AnalysisReport}) and its
 * rendering to a self-contained HTML page with inline SVG charts. Browser-safe.
 */
export * from './model';
export * from './figures';
export { renderReportHtml, repTableHtml, sessionHtml, cardsHtml, romHtml } from './html';
export { signalChart, barChart, romChart, tempoChart } from './charts';
export type { BarChartSpec, BarSeries, SignalChartOptions } from './charts';
export { escapeHtml } from './svg';
