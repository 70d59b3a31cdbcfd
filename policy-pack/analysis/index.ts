/**
 * NetworkPolicy reachability analyzer: evaluates networking.k8s.io/v1 NetworkPolicies (and, in Cilium
 * mode, the supported CiliumNetworkPolicy subset) over the pods, workloads and named external
 * endpoints it is given, and answers "can A reach B on port/protocol, and why". See README.md for
 * the semantics and their sources. Depends on nothing outside this folder (and `yaml` for loading).
 */
import { AnalysisError, LoadError } from "./errors";
import { FastEvaluator } from "./fast";
import { buildModel, loadObjects } from "./parse";
import { evaluatePair } from "./reference";
import { PROTOCOLS } from "./types";
import type { Analysis, AnalyzerOptions, Cells, Endpoint, Matrix, MatrixOptions, ModelEndpoint, Probe, Protocol } from "./types";

export { AnalysisError, LoadError, loadObjects, buildModel };
export { referenceMatrix, evaluatePair, probeKey } from "./reference";
export { FastEvaluator } from "./fast";
export { REMOTE_NODE_ID, APISERVER_ID } from "./parse";
export { UnknownValue, isUnknownValue } from "./types";
export type { Analysis, AnalyzerOptions, Cells, Dataplane, Endpoint, EndpointPort, Matrix, MatrixOptions, Model, Probe, Protocol, Side, Status, Verdict } from "./types";

/** "443/TCP" -> { port: 443, protocol: "TCP" }; the protocol defaults to TCP ("443"). */
export function parseProbe(text: string): Probe {
    const m = /^\s*(\d{1,5})(?:\/([A-Za-z]+))?\s*$/.exec(String(text));
    if (!m) throw new Error(`invalid probe ${JSON.stringify(text)}: expected PORT/PROTOCOL, e.g. 443/TCP or 53/UDP`);
    const port = Number(m[1]);
    if (port < 1 || port > 65535) throw new Error(`invalid probe ${JSON.stringify(text)}: port must be between 1 and 65535`);
    const protocol = (m[2] ?? "TCP").toUpperCase();
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw new Error(`invalid probe ${JSON.stringify(text)}: protocol must be TCP, UDP or SCTP`);
    return { port, protocol: protocol as Protocol };
}

function checkProbe(p: Probe): Probe {
    if (!p || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535 || !(PROTOCOLS as readonly string[]).includes(p.protocol)) {
        throw new Error(`invalid probe ${JSON.stringify(p)}: expected { port: 1-65535, protocol: TCP|UDP|SCTP }`);
    }
    return p;
}

/** Builds the model of the given objects; throws AnalysisError (naming object and field) for invalid input. */
export function analyze(objects: unknown[], options: AnalyzerOptions = {}): Analysis {
    const model = buildModel(objects, options);
    const byId = new Map<string, ModelEndpoint>(model.endpoints.map((e) => [e.id, e]));
    let fast: FastEvaluator | undefined;
    const endpoint = (id: string, role: string): ModelEndpoint => {
        const e = byId.get(id);
        if (!e) {
            const hint = model.endpoints.filter((x) => x.id.includes(id.split("/").pop() ?? id)).slice(0, 5).map((x) => x.id);
            throw new Error(`unknown ${role} endpoint ${JSON.stringify(id)}${hint.length ? `; did you mean ${hint.join(", ")}?` : ""} (pods are "namespace/name")`);
        }
        return e;
    };
    const endpoints: Endpoint[] = model.endpoints.map((e) => ({
        id: e.id,
        kind: e.kind,
        ...(e.namespace !== undefined ? { namespace: e.namespace } : {}),
        labels: e.labels,
        ips: e.ips,
        ports: e.ports,
        ...(e.source !== undefined ? { source: e.source } : {}),
    }));
    return {
        endpoints,
        warnings: model.warnings,
        notes: model.notes,
        dataplane: model.dataplane,
        canReach(from: string, to: string, probe: Probe) {
            return evaluatePair(model, endpoint(from, "source"), endpoint(to, "destination"), checkProbe(probe), true);
        },
        matrix(probes: Probe[], options?: MatrixOptions): Matrix {
            probes.forEach(checkProbe);
            fast ??= new FastEvaluator(model);
            return fast.matrix(probes, options);
        },
        cells(probe: Probe, from: string[], to: string[]): Cells {
            checkProbe(probe);
            from.forEach((id) => endpoint(id, "source"));
            to.forEach((id) => endpoint(id, "destination"));
            fast ??= new FastEvaluator(model);
            return fast.cells(probe, from, to);
        },
    };
}
