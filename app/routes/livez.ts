/**
 * 200 while the process is serving requests, without touching the database
 * (liveness; /healthz is readiness). Also the bare route the benchmark
 * compares pages against.
 */
export function loader() {
  return new Response('OK', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } })
}
