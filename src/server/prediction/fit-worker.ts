/**
 * Entry point of the model-fitting worker thread: runs each {@link PredictionJob} it receives and
 * posts back `{id, outcome}` or `{id, failure}` (an unexpected error, message only).
 */
import { parentPort } from 'node:worker_threads';
import { runPredictionJob, type PredictionJob } from './prediction-job.js';

const port = parentPort;
if (port) {
  port.on('message', (msg: { id: number; job: PredictionJob }) => {
    try {
      port.postMessage({ id: msg.id, outcome: runPredictionJob(msg.job) });
    } catch (err) {
      port.postMessage({ id: msg.id, failure: err instanceof Error ? err.message : String(err) });
    }
  });
}
