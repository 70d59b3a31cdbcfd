/**
 * Validates a Kubernetes object against its published schema (kubernetes-models and the
 * @kubernetes-models CRD packages). An object of a kind with no known schema is an error.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import Ajv from "ajv";

interface Model { validate(): void }

const loadFile = createRequire(__filename);
type ModelClass = new (data: unknown) => Model;

const PACKAGES: Record<string, string> = {
    "cert-manager.io": "@kubernetes-models/cert-manager",
    "acme.cert-manager.io": "@kubernetes-models/cert-manager",
    "cilium.io": "@kubernetes-models/cilium",
    "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modelFor(apiVersion: string, kind: string): ModelClass {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    const pkg = PACKAGES[group] ?? "kubernetes-models";
    const dir = group === "" ? version : `${group}/${version}`;
    // These packages are ESM-only with import-only exports: load the file itself (Node 20.19+ requires ESM).
    const file = path.join(__dirname, "..", "..", "node_modules", pkg, dir, `${kind}.js`);
    if (!fs.existsSync(file)) throw new Error(`no schema for ${apiVersion} ${kind} (looked in ${pkg}/${dir}/${kind})`);
    const mod = loadFile(file) as Record<string, unknown>;
    const cls = mod[kind];
    if (typeof cls !== "function") throw new Error(`${pkg}/${dir}/${kind} exports no ${kind} class`);
    return cls as ModelClass;
}

/** Throws with the schema's message when the object does not validate. */
export function validateObject(obj: Record<string, unknown>): void {
    const apiVersion = String(obj.apiVersion);
    const kind = String(obj.kind);
    if (apiVersion === "azmonitoring.coreos.com/v1") {
        // No model package covers the AKS metrics add-on's CRDs: its schema is encoded below.
        const errors = kind === "PodMonitor" ? azmonitoringErrors(obj) : [`no schema for ${apiVersion} ${kind}`];
        if (errors.length > 0) throw new Error(`${kind} ${JSON.stringify((obj.metadata as { name?: string } | undefined)?.name)}: ${errors.join("; ")}`);
        return;
    }
    const Cls = modelFor(apiVersion, kind);
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    try {
        new Cls(obj).validate();
    } catch (e) {
        throw new Error(`${kind} ${meta.namespace ? `${meta.namespace}/` : ""}${meta.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
}

/**
 * The add-on's PodMonitor schema (azmonitoring.coreos.com/v1), the part the platform writes,
 * encoded from the CRD's openAPIV3Schema in Azure/prometheus-collector (commit 39583fd)
 * otelcollector/deploy/addon-chart/azure-monitor-metrics-addon/templates/ama-metrics-podmonitor-crd.yaml:
 * `spec` required, `spec.selector` required, endpoint `port` a string, `interval` the CRD's
 * duration pattern, relabel `action` from its enum, `sourceLabels` its label-name pattern.
 * Stricter than the CRD in one way: fields the platform does not use are refused, since the API
 * server would silently prune a misspelt one.
 */
const DURATION = "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$";
const RELABEL_ACTIONS = ["replace", "Replace", "keep", "Keep", "drop", "Drop", "hashmod", "HashMod", "labelmap", "LabelMap", "labeldrop", "LabelDrop",
    "labelkeep", "LabelKeep", "lowercase", "Lowercase", "uppercase", "Uppercase", "keepequal", "KeepEqual", "dropequal", "DropEqual"];
const POD_MONITOR_SCHEMA = {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    additionalProperties: false,
    properties: {
        apiVersion: { const: "azmonitoring.coreos.com/v1" },
        kind: { const: "PodMonitor" },
        metadata: {
            type: "object", required: ["name", "namespace"], additionalProperties: false,
            properties: { name: { type: "string", minLength: 1 }, namespace: { type: "string", minLength: 1 }, labels: { type: "object", additionalProperties: { type: "string" } } },
        },
        spec: {
            type: "object", required: ["selector"], additionalProperties: false,
            properties: {
                selector: {
                    type: "object", additionalProperties: false,
                    properties: { matchLabels: { type: "object", additionalProperties: { type: "string" } } },
                },
                podMetricsEndpoints: {
                    type: "array",
                    items: {
                        type: "object", additionalProperties: false,
                        properties: {
                            port: { type: "string" },
                            path: { type: "string" },
                            interval: { type: "string", pattern: DURATION },
                            scheme: { enum: ["http", "https"] },
                            honorLabels: { type: "boolean" },
                            metricRelabelings: {
                                type: "array",
                                items: {
                                    type: "object", additionalProperties: false,
                                    properties: {
                                        action: { enum: RELABEL_ACTIONS },
                                        sourceLabels: { type: "array", items: { type: "string", pattern: "^[a-zA-Z_][a-zA-Z0-9_]*$" } },
                                        regex: { type: "string" },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
} as const;

const validatePodMonitor = new Ajv({ allErrors: true }).compile(POD_MONITOR_SCHEMA);

/** Schema errors of an azmonitoring.coreos.com/v1 PodMonitor, none when it validates. */
export function azmonitoringErrors(obj: unknown): string[] {
    return validatePodMonitor(obj) ? [] : (validatePodMonitor.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

