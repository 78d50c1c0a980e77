// The genotype: weights read in place (safetensors, GGUF, Ollama blobs), aligned by layer, compared by streaming
// sums, and analysed as distance matrices, trees and layer rankings. The lab and the report import from here.
export type { TensorInfo, WeightSet, WeightFormat } from './tensor.js';
export { openWeights, modelLabel } from './open.js';
export type { OpenOptions } from './open.js';
export { readSafetensors, readSafetensorsHeader, readShardedSafetensors } from './safetensors.js';
export { writeSafetensors, writeGeneratedSafetensors } from './safetensors-write.js';
export type { SafetensorsTensor, GeneratedTensor } from './safetensors-write.js';
export { readGguf, readGgufHeader } from './gguf.js';
export { resolveOllamaBlob, parseOllamaName, ollamaModelsDirs } from './ollama.js';
export { TensorReader } from './tensor-reader.js';
export { canonicalName, compareLayers } from './align.js';
export type { CanonicalName } from './align.js';
export { accumulatePair, metricValue, GENOTYPE_METRICS } from './metrics.js';
export type { GenotypeMetric, PairStats } from './metrics.js';
export { compareModels, alignModels, uniqueLabels } from './compare.js';
export type { GenotypeComparison, AlignedTensor, TensorPairRecord, ModelSummary, CompareOptions } from './compare.js';
export {
  genotypeMatrix,
  weightedGenotypeMatrix,
  layerDistances,
  layerImportance,
  referenceVector,
  matchLabels,
} from './analysis.js';
export type { GenotypeViewOptions, LayerDistance, LayerImportance } from './analysis.js';
export { genotypeTree } from './tree.js';
export { referenceDistances } from './reference.js';
export type { GenotypeTreeOptions } from './tree.js';
export { pearson, spearman, ranks } from '../distance/correlation.js';
