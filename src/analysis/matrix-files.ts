// The text formats of an analysed run's matrices, for the views that save them (the TUI's export): views reach
// src/distance/ only through src/analysis/.
export { formatMatrixTsv } from '../distance/matrix-io.js';
