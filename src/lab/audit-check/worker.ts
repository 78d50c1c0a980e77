// A collection worker thread of the audit check: draws the collections it is sent (see collectAll in collect.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { drawCollection, VariantModels } from './collect.js';
import type { CollectionSpec, Gene } from './design.js';

const data = workerData as { zooDir: string; genes: Gene[] };
const models = new VariantModels(data.zooDir);

parentPort!.on('message', (spec: CollectionSpec) => {
  models.get(spec.leaf, spec.variant).then(
    ({ model, decoder }) => parentPort!.postMessage(drawCollection(spec, data.genes, model, decoder)),
    (err: unknown) => {
      // Surface a load failure as the worker's error event, which the pool turns into a rejection.
      throw err;
    },
  );
});
