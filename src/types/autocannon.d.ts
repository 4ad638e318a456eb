// Minimal types for the part of autocannon the benchmark uses (it ships none).
declare module 'autocannon' {
  interface Request { method?: string; body?: string; headers?: Record<string, string>; setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }
  interface Options { url: string; method?: string; headers?: Record<string, string>; body?: string; connections?: number; duration?: number; requests?: Request[] }
  interface Histogram { average: number; p50: number; p99: number; total: number }
  interface Result { requests: Histogram; latency: Histogram; throughput: Histogram; errors: number; non2xx: number }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
