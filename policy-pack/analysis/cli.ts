/**
 * netpol: reachability matrix and explanations for NetworkPolicies in YAML/JSON files.
 *
 *   npm run -s netpol -- matrix FILE... [--probe 80/TCP]... [--external NAME=CIDR]... [--dataplane kubernetes|cilium] [--from ID]... [--to ID]... [--format text|json|table]
 *   npm run -s netpol -- explain FILE... --from ID --to ID --port 443/TCP [--external NAME=CIDR]... [--dataplane kubernetes|cilium] [--format text|json]
 *
 * Exit codes: matrix 0; explain 0 allowed, 1 denied, 3 inconclusive; 2 usage or input error.
 */
import * as fs from "fs";
import { CliOutput, HELP_OPTION, oneOf, parseCli, TEXT_JSON_OR_TABLE, TEXT_OR_JSON, UsageError, usageFailure } from "../cli-args";
import { AnalysisError, analyze, LoadError, loadObjects, parseProbe } from "./index";
import type { Analysis, Dataplane, Matrix, Probe, Status, Verdict } from "./types";

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
                        [--from ID]... [--to ID]... [--format text|json|table]
  netpol explain FILE... --from ID --to ID --port 443/TCP [--external NAME=CIDR]...
                        [--dataplane kubernetes|cilium] [--format text|json]

FILE: YAML or JSON, several documents and List kinds allowed (kubectl get -A -o yaml output works).
Endpoints (ID): pods and workloads are NS/NAME, externals their NAME; with --dataplane cilium also
kube-apiserver and remote-node (every other node; the API server's calls into pods arrive as it).
--probe defaults to 80/TCP and 443/TCP. Formats: text (default), json, and for matrix a table grid.
A verdict is allowed, denied or inconclusive (it depends on something the analyzer cannot evaluate;
the warnings say what, once each).
Exit codes: explain 0 allowed, 1 denied, 3 inconclusive; matrix 0; 2 usage or input error.`;

const OPTIONS = {
    ...HELP_OPTION,
    probe: { type: "string", multiple: true },
    port: { type: "string" },
    external: { type: "string", multiple: true },
    dataplane: { type: "string" },
    format: { type: "string" },
    from: { type: "string", multiple: true },
    to: { type: "string", multiple: true },
} as const;

interface Args {
    command: "matrix" | "explain";
    files: string[];
    probes: Probe[];
    externals: Record<string, string>;
    dataplane: Dataplane;
    format: "text" | "json" | "table";
    from: string[];
    to: string[];
    port?: Probe;
}

function probe(text: string): Probe {
    try {
        return parseProbe(text);
    } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
    }
}

type Values = { probe?: string[]; port?: string; external?: string[]; dataplane?: string; format?: string; from?: string[]; to?: string[] };

function readArgs(positionals: string[], values: Values): Args {
    const [command, ...files] = positionals;
    if (command === undefined) throw new UsageError("a command is required: matrix or explain");
    if (command !== "matrix" && command !== "explain") throw new UsageError(`unknown command '${command}'`);
    if (files.length === 0) throw new UsageError("no input files");
    const externals: Record<string, string> = {};
    for (const v of values.external ?? []) {
        const k = v.indexOf("=");
        if (k <= 0 || k === v.length - 1) throw new UsageError(`--external expects NAME=CIDR, not '${v}'`);
        externals[v.slice(0, k)] = v.slice(k + 1);
    }
    const args: Args = {
        command,
        files,
        probes: (values.probe ?? []).flatMap((p) => p.split(",")).map(probe),
        externals,
        dataplane: oneOf("dataplane", values.dataplane, ["kubernetes", "cilium"] as const, "kubernetes"),
        format: command === "matrix" ? oneOf("format", values.format, TEXT_JSON_OR_TABLE, "text") : oneOf("format", values.format, TEXT_OR_JSON, "text"),
        from: values.from ?? [],
        to: values.to ?? [],
        ...(values.port !== undefined ? { port: probe(values.port) } : {}),
    };
    if (command === "matrix") {
        if (args.port) throw new UsageError("--port is for explain; use --probe with matrix");
    } else {
        if (args.from.length !== 1 || args.to.length !== 1) throw new UsageError("explain needs exactly one --from and one --to");
        if (!args.port && args.probes.length === 1) args.port = args.probes[0];
        if (!args.port) throw new UsageError("explain needs --port PORT/PROTOCOL");
    }
    return args;
}

const SYMBOL: Record<Status, string> = { allowed: "X", denied: ".", inconclusive: "?" };

/** One grid per probe: rows are sources, columns destinations (numbered, with a legend). */
export function renderTable(matrix: Matrix): string {
    const lines: string[] = [];
    for (const [probeText, rows] of Object.entries(matrix)) {
        const from = Object.keys(rows);
        const to = from.length > 0 ? Object.keys(rows[from[0]]) : [];
        const width = String(to.length).length;
        const nameWidth = Math.max(4, ...from.map((f) => f.length));
        lines.push(`${probeText}: X = allowed, . = denied, ? = inconclusive (rows: from, columns: to)`);
        lines.push(`${" ".repeat(nameWidth)}  ${to.map((_, i) => String(i + 1).padStart(width)).join(" ")}`);
        for (const f of from) lines.push(`${f.padEnd(nameWidth)}  ${to.map((t) => SYMBOL[rows[f][t]].padStart(width)).join(" ")}`);
        lines.push("columns:");
        to.forEach((t, i) => lines.push(`  ${String(i + 1).padStart(width)} ${t}`));
        lines.push("");
    }
    return lines.join("\n");
}

/** The connections that are not denied, per probe: allowed ones, then inconclusive ones (marked `?`). */
export function renderList(matrix: Matrix): string {
    const lines: string[] = [];
    for (const [probeText, rows] of Object.entries(matrix)) {
        const cells = Object.entries(rows).flatMap(([f, row]) => Object.entries(row).filter(([t]) => t !== f).map(([t, s]) => ({ f, t, s })));
        const allowed = cells.filter((c) => c.s === "allowed");
        const inconclusive = cells.filter((c) => c.s === "inconclusive");
        lines.push(`${probeText}: ${allowed.length} allowed, ${inconclusive.length} inconclusive, ${cells.length - allowed.length - inconclusive.length} denied`);
        for (const c of allowed) lines.push(`  ${c.f} -> ${c.t}`);
        for (const c of inconclusive) lines.push(`  ? ${c.f} -> ${c.t}`);
    }
    return `${lines.join("\n")}\n`;
}

export function renderVerdict(v: Verdict, dataplane: Dataplane): string {
    const lines = [`${v.status.toUpperCase()}: ${v.from} -> ${v.to} on ${v.probe.port}/${v.probe.protocol} (dataplane ${dataplane})`];
    lines.push(...v.explanation.map((l) => `  ${l}`));
    if (v.status === "inconclusive") lines.push("  Why inconclusive:", ...v.inconclusive.map((r) => `    - ${r}`));
    return `${lines.join("\n")}\n`;
}

const EXIT: Record<Status, number> = { allowed: 0, denied: 1, inconclusive: 3 };

function load(args: Args, io: Io): Analysis {
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
    return analyze(objects, { dataplane: args.dataplane, externals: args.externals });
}

export function main(argv: string[], io: Io = defaultIo): number {
    const output: CliOutput = { out: (l) => io.stdout(`${l}\n`), err: (l) => io.stderr(`${l}\n`) };
    const cli = parseCli("netpol", argv, { usage: USAGE, options: OPTIONS, positionals: true, output });
    if (cli.stop) return cli.code;
    let args: Args;
    try {
        args = readArgs(cli.positionals, cli.values);
    } catch (e) {
        return usageFailure("netpol", USAGE, e, output).code;
    }
    try {
        const analysis = load(args, io);
        if (args.format !== "json") for (const w of analysis.warnings) io.stderr(`netpol: warning: ${w}\n`);
        if (args.command === "matrix") {
            const probes = args.probes.length > 0 ? args.probes : [{ port: 80, protocol: "TCP" as const }, { port: 443, protocol: "TCP" as const }];
            const matrix = analysis.matrix(probes, { ...(args.from.length ? { from: args.from } : {}), ...(args.to.length ? { to: args.to } : {}) });
            if (args.format === "json") {
                io.stdout(`${JSON.stringify({ dataplane: analysis.dataplane, probes: Object.keys(matrix), warnings: analysis.warnings, matrix }, null, 2)}\n`);
            } else io.stdout(args.format === "table" ? renderTable(matrix) : renderList(matrix));
            return 0;
        }
        const verdict = analysis.canReach(args.from[0], args.to[0], args.port as Probe);
        if (args.format === "json") io.stdout(`${JSON.stringify(verdict, null, 2)}\n`);
        else io.stdout(renderVerdict(verdict, analysis.dataplane));
        return EXIT[verdict.status];
    } catch (e) {
        if (e instanceof AnalysisError || e instanceof LoadError) io.stderr(`netpol: error: ${e.message}\n`);
        else io.stderr(`netpol: error: ${e instanceof Error ? e.message : String(e)}\n`);
        return 2;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
