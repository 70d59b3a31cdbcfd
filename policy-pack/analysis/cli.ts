/**
 * netpol: reachability matrix and explanations for NetworkPolicies in YAML/JSON files.
 *
 *   npm run -s netpol -- matrix FILE... [--probe 80/TCP]... [--external NAME=CIDR]... [--dataplane kubernetes|cilium] [--format json|table] [--from ID]... [--to ID]...
 *   npm run -s netpol -- explain FILE... --from NS/NAME --to NS/NAME --port 443/TCP [--external NAME=CIDR]... [--dataplane kubernetes|cilium] [--format text|json]
 *
 * Exit codes: 0 success (explain: allowed), 1 explain: denied, 2 usage or input error.
 */
import * as fs from "fs";
import { AnalysisError, analyze, LoadError, loadObjects, parseProbe } from "./index";
import type { Dataplane, Matrix, Probe } from "./types";

export interface Io {
    stdout(text: string): void;
    stderr(text: string): void;
    readFile(path: string): string;
}

const defaultIo: Io = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readFile: (p) => fs.readFileSync(p, "utf8"),
};

export const USAGE = `usage:
  netpol matrix FILE... [--probe 80/TCP]... [--external NAME=CIDR]... [--dataplane kubernetes|cilium]
                        [--format json|table] [--from ID]... [--to ID]...
  netpol explain FILE... --from NS/NAME --to NS/NAME --port 443/TCP [--external NAME=CIDR]...
                        [--dataplane kubernetes|cilium] [--format text|json]

FILE: YAML or JSON, several documents and List kinds allowed (kubectl get -A -o yaml output works).
Endpoints: pods and workloads are NS/NAME, externals their NAME, the API server (cilium) kube-apiserver.
--probe defaults to 80/TCP and 443/TCP. explain exits 0 when allowed, 1 when denied; errors exit 2.
`;

class UsageError extends Error {}

interface Args {
    command: string;
    files: string[];
    probes: Probe[];
    externals: Record<string, string>;
    dataplane: Dataplane;
    format?: string;
    from: string[];
    to: string[];
    port?: Probe;
}

function parseArgs(argv: string[]): Args {
    const [command, ...rest] = argv;
    if (command === undefined || command === "--help" || command === "-h" || command === "help") throw new UsageError("");
    if (command !== "matrix" && command !== "explain") throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    const args: Args = { command, files: [], probes: [], externals: {}, dataplane: "kubernetes", from: [], to: [] };
    for (let i = 0; i < rest.length; i++) {
        let a = rest[i];
        if (!a.startsWith("--")) {
            args.files.push(a);
            continue;
        }
        let value: string | undefined;
        const eq = a.indexOf("=");
        if (eq > 0 && !a.startsWith("--external=") ) {
            value = a.slice(eq + 1);
            a = a.slice(0, eq);
        } else if (a.startsWith("--external=")) {
            value = a.slice("--external=".length);
            a = "--external";
        }
        const next = (): string => {
            if (value !== undefined) return value;
            const v = rest[++i];
            if (v === undefined) throw new UsageError(`${a} needs a value`);
            return v;
        };
        switch (a) {
            case "--help":
                throw new UsageError("");
            case "--probe":
                for (const p of next().split(",")) args.probes.push(probe(p));
                break;
            case "--port":
                args.port = probe(next());
                break;
            case "--external": {
                const v = next();
                const k = v.indexOf("=");
                if (k <= 0 || k === v.length - 1) throw new UsageError(`--external expects NAME=CIDR, got ${JSON.stringify(v)}`);
                args.externals[v.slice(0, k)] = v.slice(k + 1);
                break;
            }
            case "--dataplane": {
                const v = next();
                if (v !== "kubernetes" && v !== "cilium") throw new UsageError(`--dataplane must be kubernetes or cilium, got ${JSON.stringify(v)}`);
                args.dataplane = v;
                break;
            }
            case "--format":
                args.format = next();
                break;
            case "--from":
                args.from.push(next());
                break;
            case "--to":
                args.to.push(next());
                break;
            default:
                throw new UsageError(`unknown option ${a}`);
        }
    }
    if (args.files.length === 0) throw new UsageError("no input files");
    if (command === "matrix") {
        if (args.format !== undefined && args.format !== "json" && args.format !== "table") throw new UsageError(`--format must be json or table, got ${JSON.stringify(args.format)}`);
        if (args.port) throw new UsageError("--port is for explain; use --probe with matrix");
    } else {
        if (args.format !== undefined && args.format !== "text" && args.format !== "json") throw new UsageError(`--format must be text or json, got ${JSON.stringify(args.format)}`);
        if (args.from.length !== 1 || args.to.length !== 1) throw new UsageError("explain needs exactly one --from and one --to");
        if (!args.port && args.probes.length === 1) args.port = args.probes[0];
        if (!args.port) throw new UsageError("explain needs --port PORT/PROTOCOL");
    }
    return args;
}

function probe(text: string): Probe {
    try {
        return parseProbe(text);
    } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
    }
}

/** One grid per probe: rows are sources, columns destinations (numbered, with a legend). */
export function renderTable(matrix: Matrix): string {
    const lines: string[] = [];
    for (const [probeText, rows] of Object.entries(matrix)) {
        const from = Object.keys(rows);
        const to = from.length > 0 ? Object.keys(rows[from[0]]) : [];
        const width = String(to.length).length;
        const nameWidth = Math.max(4, ...from.map((f) => f.length));
        lines.push(`${probeText}: X = allowed, . = denied (rows: from, columns: to)`);
        lines.push(`${" ".repeat(nameWidth)}  ${to.map((_, i) => String(i + 1).padStart(width)).join(" ")}`);
        for (const f of from) lines.push(`${f.padEnd(nameWidth)}  ${to.map((t) => (rows[f][t] ? "X" : ".").padStart(width)).join(" ")}`);
        lines.push("columns:");
        to.forEach((t, i) => lines.push(`  ${String(i + 1).padStart(width)} ${t}`));
        lines.push("");
    }
    return lines.join("\n");
}

export function main(argv: string[], io: Io = defaultIo): number {
    let args: Args;
    try {
        args = parseArgs(argv);
    } catch (e) {
        if (e instanceof UsageError) {
            if (e.message) io.stderr(`netpol: ${e.message}\n`);
            io.stderr(USAGE);
            return e.message ? 2 : 0;
        }
        throw e;
    }
    try {
        const objects: unknown[] = [];
        for (const file of args.files) {
            let text: string;
            try {
                text = io.readFile(file);
            } catch (e) {
                throw new LoadError(`${file}: cannot read: ${e instanceof Error ? e.message.replace(/^[A-Z]+: /, "") : String(e)}`);
            }
            objects.push(...loadObjects(text, file));
        }
        const analysis = analyze(objects, { dataplane: args.dataplane, externals: args.externals });
        for (const u of analysis.unsupported) io.stderr(`netpol: warning: unsupported: ${u}\n`);
        if (args.command === "matrix") {
            const probes = args.probes.length > 0 ? args.probes : [{ port: 80, protocol: "TCP" as const }, { port: 443, protocol: "TCP" as const }];
            const matrix = analysis.matrix(probes, { ...(args.from.length ? { from: args.from } : {}), ...(args.to.length ? { to: args.to } : {}) });
            io.stdout(args.format === "table" ? renderTable(matrix) : `${JSON.stringify(matrix, null, 2)}\n`);
            return 0;
        }
        const verdict = analysis.canReach(args.from[0], args.to[0], args.port as Probe);
        if (args.format === "json") io.stdout(`${JSON.stringify(verdict, null, 2)}\n`);
        else io.stdout(`${verdict.allowed ? "ALLOWED" : "DENIED"}: ${verdict.from} -> ${verdict.to} on ${verdict.probe.port}/${verdict.probe.protocol} (dataplane ${analysis.dataplane})\n${verdict.explanation.map((l) => `  ${l}`).join("\n")}\n`);
        return verdict.allowed ? 0 : 1;
    } catch (e) {
        if (e instanceof AnalysisError || e instanceof LoadError) io.stderr(`netpol: error: ${e.message}\n`);
        else io.stderr(`netpol: error: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
