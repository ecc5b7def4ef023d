/**
 * The V8 heap cap the collector runs with in production (`npm start`, the Dockerfile's NODE_OPTIONS).
 * Without it V8 sizes the old space from the machine's memory and collects lazily, so a large sync's RSS
 * grows with garbage rather than with live data. The benchmark workers run with the same flag, so their
 * peak RSS is the production figure; BENCH_*_NODE_ARGS adds flags after it (a later flag wins).
 */
export const COLLECTOR_HEAP_FLAG = '--max-old-space-size=256';
