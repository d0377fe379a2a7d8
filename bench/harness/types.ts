/** A benchmark: runs, then returns flat metrics, e.g. `{ "parse.node_1000_lines_ms": 0.41 }`. */
export type Benchmark = () => Promise<Record<string, number>>;
