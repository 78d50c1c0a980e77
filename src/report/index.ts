// The HTML report (`phylo report`, the TUI's report key): writeReport analyses what it needs, builds one
// self-contained page and writes it with every figure as a standalone .svg beside it.
export { REPORT_DEFAULTS, writeReport } from './write.js';
export type { WriteReportOptions, WrittenReport } from './write.js';
export { buildReport } from './build.js';
export type { BuiltReport, GenotypeView, PhenotypeView, ReportFigure, ReportInput } from './build.js';
export { readAuditFile } from './audit.js';
export type { AuditRow, AuditSection } from './audit.js';
