/**
 * Validates a Kubernetes object against its published schema (kubernetes-models and the
 * @kubernetes-models CRD packages). An object of a kind with no known schema is an error.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";

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
    const Cls = modelFor(apiVersion, kind);
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    try {
        new Cls(obj).validate();
    } catch (e) {
        throw new Error(`${kind} ${meta.namespace ? `${meta.namespace}/` : ""}${meta.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
}
