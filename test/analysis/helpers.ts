/** Builders and the grid checker for the analyzer's table-driven specs. */
import * as assert from "assert";
import { analyze, buildModel, referenceMatrix } from "../../policy-pack/analysis";
import type { AnalyzerOptions, Probe, Protocol, Status } from "../../policy-pack/analysis";

export type Obj = Record<string, unknown>;

export const ns = (name: string, labels: Record<string, string> = {}): Obj => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });

export interface PortDecl { name?: string; port: number; protocol?: Protocol }

export function pod(id: string, labels: Record<string, string>, ports: PortDecl[] = [], ip?: string): Obj {
    const [namespace, name] = id.split("/");
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, labels },
        spec: { containers: [{ name: "c", image: "x", ports: ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.port, protocol: p.protocol ?? "TCP" })) }] },
        ...(ip ? { status: { podIP: ip } } : {}),
    };
}

export const np = (namespace: string, name: string, spec: Obj): Obj => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec });
export const cnp = (namespace: string, name: string, spec: Obj): Obj => ({ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name, namespace }, spec });
/** A label selector of exact labels. */
export const sel = (labels: Record<string, string>): Obj => ({ matchLabels: labels });
/** The analyzer's options for the Cilium dataplane, with named outside endpoints. */
export const cilium = (externals: Record<string, string> = {}): { dataplane: "cilium"; externals: Record<string, string> } => ({ dataplane: "cilium", externals });

export function probe(text: string): Probe {
    const [port, protocol] = text.split("/");
    return { port: Number(port), protocol: protocol as Protocol };
}

export interface Case {
    name: string;
    objects: Obj[];
    options?: AnalyzerOptions;
    /** Row and column order of the grids. */
    endpoints: string[];
    /** Per probe: one row per source, "X" = allowed, "." = denied, "?" = inconclusive, one column per destination. */
    expect: Record<string, string[]>;
    /** Substrings expected in canReach explanations (inconclusive ones include their reasons): [from, to, probe, text]. */
    explains?: [string, string, string, string][];
    /** Patterns each of which some warning must match; without it, a case expects no warning at all. */
    warnings?: RegExp[];
    notes?: RegExp[];
}

const CELL: Record<string, Status> = { X: "allowed", ".": "denied", "?": "inconclusive" };

/** Checks matrix(), canReach() and the reference evaluator against the hand-written grids. */
export function check(c: Case): void {
    const analysis = analyze(c.objects, c.options);
    const probes = Object.keys(c.expect).map(probe);
    const matrix = analysis.matrix(probes, { from: c.endpoints, to: c.endpoints });
    const model = buildModel(c.objects, c.options);
    const byId = new Map(model.endpoints.map((e) => [e.id, e]));
    const pick = (id: string) => {
        const e = byId.get(id);
        assert.ok(e, `endpoint ${id} exists (have ${[...byId.keys()].join(", ")})`);
        return e;
    };
    const reference = referenceMatrix(model, probes, c.endpoints.map(pick), c.endpoints.map(pick));
    const failures: string[] = [];
    for (const [p, rows] of Object.entries(c.expect)) {
        assert.strictEqual(rows.length, c.endpoints.length, `${p}: one row per endpoint`);
        rows.forEach((row, i) => {
            const cells = row.trim().split(/\s+/);
            assert.strictEqual(cells.length, c.endpoints.length, `${p} row ${i}: one cell per endpoint`);
            cells.forEach((cell, j) => {
                const from = c.endpoints[i];
                const to = c.endpoints[j];
                const want = CELL[cell];
                assert.ok(want, `${p} row ${i}: cells are X, . or ?`);
                const got = matrix[p][from][to];
                const verdict = analysis.canReach(from, to, probe(p));
                if (got !== want) failures.push(`${p} ${from} -> ${to}: expected ${want}, matrix says ${got}\n      ${verdict.explanation.join("\n      ")}`);
                if (verdict.status !== want) failures.push(`${p} ${from} -> ${to}: canReach says ${verdict.status}`);
                if ((verdict.inconclusive.length > 0) !== (want === "inconclusive")) failures.push(`${p} ${from} -> ${to}: ${verdict.inconclusive.length} reasons for a ${verdict.status} verdict`);
                if (reference[p][from][to] !== want) failures.push(`${p} ${from} -> ${to}: reference says ${reference[p][from][to]}`);
            });
        });
    }
    assert.deepStrictEqual(failures, []);
    for (const [from, to, p, text] of c.explains ?? []) {
        const v = analysis.canReach(from, to, probe(p));
        assert.ok(v.explanation.join("\n").includes(text), `explanation of ${from} -> ${to} ${p} mentions ${JSON.stringify(text)}:\n${v.explanation.join("\n")}`);
    }
    if (!c.warnings) assert.deepStrictEqual(analysis.warnings, [], "no warnings expected");
    for (const re of c.warnings ?? []) assert.ok(analysis.warnings.some((u) => re.test(u)), `a warning matches ${re}: ${JSON.stringify(analysis.warnings)}`);
    for (const re of c.notes ?? []) assert.ok(analysis.notes.some((u) => re.test(u)), `a note matches ${re}: ${JSON.stringify(analysis.notes)}`);
}
