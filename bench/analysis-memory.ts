/**
 * One big analyzer case in a fresh process, for an honest memory figure: generate, analyze and
 * build the full matrix once, then print the process's peak resident memory as JSON.
 * Run by bench/analysis.bench.ts; not a benchmark of its own.
 */
import { generateCluster } from "./netpol-generator";
import { analyze, Probe } from "../policy-pack/analysis";

const PROBES: Probe[] = [{ port: 80, protocol: "TCP" }, { port: 443, protocol: "TCP" }, { port: 53, protocol: "UDP" }, { port: 5432, protocol: "TCP" }];
const cilium = process.argv.includes("--cilium");
const g = generateCluster({ pods: 1000, policies: 2000, cilium, seed: 7 });
const started = Date.now();
const matrix = analyze(g.objects, { dataplane: cilium ? "cilium" : "kubernetes", externals: g.externals }).matrix(PROBES);
const ms = Date.now() - started;
const cells = Object.values(matrix).reduce((n, rows) => n + Object.values(rows).reduce((k, row) => k + Object.keys(row).length, 0), 0);
process.stdout.write(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1048576), ms, cells }) + "\n");
