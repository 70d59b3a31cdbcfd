/** Hand-built resources and a runner for policy unit tests (the engine's path, as in real runs). */
import * as assert from "node:assert/strict";
import type { PackConfig } from "../../policy-pack/config";
import { EngineResult, Finding, PolicyConfigFile, runPolicies } from "../../policy-pack/engine";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { policies } from "../../policy-pack/rules";
import type { PackPolicy } from "../../policy-pack/rules/lib/rule";

/** The runtime's sentinel for an unknown (preview-time) string; the proxy throws when a rule reads it. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function resource(type: string, name: string, props: Record<string, unknown>, stack = "dev", extra: Partial<PlanResource> = {}): PlanResource {
    return {
        type,
        name,
        urn: `urn:pulumi:${stack}::aks-platform::${type}::${name}`,
        props,
        dependencies: [],
        propertyDependencies: {},
        protect: false,
        custom: true,
        ...extra,
    };
}

export const k = {
    namespace: (name: string, labels: Record<string, string> = {}): PlanResource =>
        resource("kubernetes:core/v1:Namespace", `ns-${name}`, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } }),
    networkPolicy: (ns: string, name: string, spec: Record<string, unknown>): PlanResource =>
        resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${ns}-${name}`, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns }, spec }),
    cnp: (ns: string, name: string, spec: Record<string, unknown>): PlanResource =>
        resource("kubernetes:cilium.io/v2:CiliumNetworkPolicy", `${ns}-${name}`, { apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name, namespace: ns }, spec }),
    defaultDeny: (ns: string): PlanResource => k.networkPolicy(ns, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    allowDns: (ns: string): PlanResource => k.networkPolicy(ns, "allow-dns", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }],
        }],
    }),
    deployment: (ns: string, name: string, labels: Record<string, string>, ports: { name?: string; containerPort: number }[] = []): PlanResource =>
        resource("kubernetes:apps/v1:Deployment", `${ns}-${name}`, {
            apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: ns },
            spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: "x:1", ports }] } } },
        }),
    service: (ns: string, name: string, spec: Record<string, unknown>): PlanResource =>
        resource("kubernetes:core/v1:Service", `${ns}-${name}-svc`, { apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns }, spec }),
    ingress: (ns: string, name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}): PlanResource =>
        resource("kubernetes:networking.k8s.io/v1:Ingress", `${ns}-${name}-ing`, { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name, namespace: ns, annotations }, spec }),
    clusterIssuer: (name: string, spec: Record<string, unknown>, stack = "dev"): PlanResource =>
        resource("kubernetes:cert-manager.io/v1:ClusterIssuer", `ci-${name}`, { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name }, spec }, stack),
    issuer: (ns: string, name: string, spec: Record<string, unknown>): PlanResource =>
        resource("kubernetes:cert-manager.io/v1:Issuer", `issuer-${ns}-${name}`, { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name, namespace: ns }, spec }),
    certificate: (ns: string, name: string, spec: Record<string, unknown>, stack = "dev"): PlanResource =>
        resource("kubernetes:cert-manager.io/v1:Certificate", `cert-${ns}-${name}`, { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name, namespace: ns }, spec }, stack),
    release: (name: string, props: Record<string, unknown>, stack = "dev"): PlanResource =>
        resource("kubernetes:helm.sh/v3:Release", name, props, stack),
};

/** A simple `ingress` with one host, TLS and a backend. */
export function simpleIngress(ns: string, name: string, host: string, opts: { tls?: boolean; annotations?: Record<string, string> } = {}): PlanResource {
    return k.ingress(ns, name, {
        ingressClassName: "nginx",
        ...(opts.tls === false ? {} : { tls: [{ hosts: [host], secretName: `${name}-tls` }] }),
        rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { number: 80 } } } }] } }],
    }, opts.annotations ?? { "cert-manager.io/cluster-issuer": "letsencrypt-staging" });
}

/** The same config for every rule (Pulumi's format is per policy). */
export function sharedConfig(cfg: Partial<PackConfig>, extra: PolicyConfigFile = {}): PolicyConfigFile {
    const out: PolicyConfigFile = {};
    for (const p of policies) out[p.name] = { ...cfg };
    for (const [name, v] of Object.entries(extra)) out[name] = typeof v === "object" && v !== null ? { ...(out[name] as object), ...v } : v;
    return out;
}

export function policy(name: string): PackPolicy {
    const p = policies.find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
}

/** Runs one rule (by name) through the engine. */
export async function runRule(name: string, resources: PlanResource[], cfg: Partial<PackConfig> = {}, policyConfig?: PolicyConfigFile): Promise<EngineResult> {
    return runPolicies(resources, { policies: [policy(name)], policyConfig: policyConfig ?? sharedConfig(cfg) });
}

export function violations(result: EngineResult): Finding[] {
    return result.findings.filter((f) => !f.undecided);
}

export function undecided(result: EngineResult): Finding[] {
    return result.findings.filter((f) => f.undecided);
}

/** Exactly `n` violations, each message containing every fragment; returns them. */
export function expectViolations(result: EngineResult, n: number, ...fragments: string[]): Finding[] {
    const v = violations(result);
    assert.equal(v.length, n, `expected ${n} violation(s), got:\n${v.map((f) => f.message).join("\n") || "(none)"}\nundecided: ${undecided(result).map((f) => f.message).join("\n")}`);
    for (const f of v) for (const frag of fragments) assert.ok(f.message.includes(frag), `message lacks "${frag}": ${f.message}`);
    return v;
}

export function expectClean(result: EngineResult): void {
    assert.deepEqual(result.findings.map((f) => f.message), []);
}

export function expectUndecided(result: EngineResult, ...fragments: string[]): void {
    const u = undecided(result);
    assert.ok(u.length > 0, `expected an undecided finding, got ${JSON.stringify(result.findings.map((f) => f.message))}`);
    const all = u.map((f) => f.message).join("\n");
    for (const frag of fragments) assert.ok(all.includes(frag), `undecided messages lack "${frag}": ${all}`);
    for (const f of u) assert.equal(f.enforcementLevel, "advisory");
}
