/**
 * Synthetic clusters for the NetworkPolicy analyzer benchmark: N pods over N/20 namespaces with
 * realistic label sets (app, tier, team, version, app.kubernetes.io/*), named container ports that
 * differ between pods, and M policies mixing every peer kind: default deny, DNS, podSelector,
 * namespaceSelector, both in one peer, ipBlock with except, matchExpressions (all four operators),
 * named ports, endPort ranges, UDP and SCTP, egress-only and policyTypes-omitted policies; in Cilium
 * mode also CiliumNetworkPolicies (endpoints with namespace label, entities, CIDR sets). With
 * `uncertain`, also what the analyzer cannot evaluate: namespaces without a Namespace object,
 * preview-time unknown values in policies, and Cilium rules it does not model (toFQDNs, toServices,
 * layer 7 rules, deny rules). Deterministic for a given seed.
 */
import { UnknownValue } from "../policy-pack/analysis";

export interface GeneratedCluster {
    objects: unknown[];
    externals: Record<string, string>;
    pods: number;
    policies: number;
    namespaces: number;
}

export interface GeneratorOptions {
    pods: number;
    policies: number;
    seed?: number;
    /** Include CiliumNetworkPolicies (about a fifth of the policies). */
    cilium?: boolean;
    /** Include what makes verdicts inconclusive. */
    uncertain?: boolean;
}

function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const APPS = ["web", "api", "auth", "billing", "search", "cart", "catalog", "orders", "payments", "users", "notify", "reports", "gateway", "cache", "queue", "db", "ml", "etl", "cron", "admin"];
const TIERS = ["frontend", "backend", "data", "batch"];
const TEAMS = ["alpha", "beta", "gamma", "delta", "omega"];
const ENVS = ["prod", "staging", "dev"];
const VERSIONS = ["v1", "v2", "v3"];

export function generateCluster(options: GeneratorOptions): GeneratedCluster {
    const rand = rng(options.seed ?? 42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const nsCount = Math.max(2, Math.round(options.pods / 20));
    const namespaces = Array.from({ length: nsCount }, (_, i) => ({ name: i === 0 ? "kube-system" : `ns-${i}`, team: pick(TEAMS), env: pick(ENVS) }));
    // Without a Namespace object only the name label of a namespace is known.
    const declared = options.uncertain ? namespaces.filter((_, i) => i === 0 || rand() < 0.8) : namespaces;
    const objects: unknown[] = declared.map((n) => ({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: n.name, labels: { team: n.team, env: n.env, ...(n.name === "kube-system" ? { "kubernetes.io/metadata.name": "kube-system" } : {}) } },
    }));
    const podsByNs = new Map<string, Record<string, string>[]>();
    for (let i = 0; i < options.pods; i++) {
        const ns = i < 2 ? namespaces[0] : namespaces[1 + (i % (nsCount - 1))];
        const app = i < 2 ? "kube-dns" : pick(APPS);
        const labels: Record<string, string> =
            i < 2
                ? { "k8s-app": "kube-dns" }
                : { app, tier: pick(TIERS), version: pick(VERSIONS), "app.kubernetes.io/name": app, "app.kubernetes.io/part-of": `${ns.team}-suite`, ...(rand() < 0.3 ? { monitored: "true" } : {}), ...(rand() < 0.1 ? { canary: "true" } : {}) };
        const httpPort = pick([80, 8080, 8000, 3000]);
        const ports = i < 2
            ? [{ name: "dns", containerPort: 53, protocol: "UDP" }, { name: "dns-tcp", containerPort: 53, protocol: "TCP" }, { name: "metrics", containerPort: 9153 }]
            : [
                  { name: "http", containerPort: httpPort },
                  { name: "metrics", containerPort: pick([9090, 9102, 8081]) },
                  ...(rand() < 0.2 ? [{ name: "grpc", containerPort: 50051 }] : []),
                  ...(rand() < 0.05 ? [{ name: "diameter", containerPort: 3868, protocol: "SCTP" }] : []),
                  ...(rand() < 0.05 ? [{ name: "syslog", containerPort: 514, protocol: "UDP" }] : []),
              ];
        const name = `${app}-${i}`;
        (podsByNs.get(ns.name) ?? podsByNs.set(ns.name, []).get(ns.name) ?? []).push(labels);
        objects.push({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name, namespace: ns.name, labels },
            spec: { containers: [{ name: "main", image: "example.invalid/app:1", ports }] },
            ...(rand() < 0.9 ? { status: { podIP: `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}` } } : {}),
        });
    }
    const externals: Record<string, string> = {
        internet: "93.184.216.34",
        "internet-range": "0.0.0.0/0",
        "private-host": "10.10.0.5",
        "partner-net": "192.0.2.0/24",
        "lb-probe": "168.63.129.16",
        "v6-host": "2001:db8::10",
    };
    const sel = (): Record<string, unknown> => {
        const r = rand();
        if (r < 0.45) return { matchLabels: { app: pick(APPS) } };
        if (r < 0.6) return { matchLabels: { app: pick(APPS), tier: pick(TIERS) } };
        if (r < 0.7) return { matchExpressions: [{ key: "tier", operator: "In", values: [pick(TIERS), pick(TIERS)] }] };
        if (r < 0.78) return { matchExpressions: [{ key: "version", operator: "NotIn", values: [pick(VERSIONS)] }] };
        if (r < 0.86) return { matchExpressions: [{ key: "monitored", operator: "Exists" }] };
        if (r < 0.92) return { matchLabels: { app: pick(APPS) }, matchExpressions: [{ key: "canary", operator: "DoesNotExist" }] };
        return {};
    };
    const nsSel = (): Record<string, unknown> => {
        const r = rand();
        if (r < 0.4) return { matchLabels: { team: pick(TEAMS) } };
        if (r < 0.7) return { matchLabels: { "kubernetes.io/metadata.name": pick(namespaces).name } };
        if (r < 0.85) return { matchExpressions: [{ key: "env", operator: "In", values: [pick(ENVS)] }] };
        return {};
    };
    const ports = (): unknown[] | undefined => {
        const r = rand();
        if (r < 0.35) return [{ port: "http" }];
        if (r < 0.5) return [{ port: pick([80, 443, 8080]), protocol: "TCP" }];
        if (r < 0.6) return [{ port: 8000, endPort: 8100 }];
        if (r < 0.7) return [{ port: "metrics" }, { port: "grpc" }];
        if (r < 0.75) return [{ port: 53, protocol: "UDP" }, { port: 53 }];
        if (r < 0.78) return [{ port: 3868, protocol: "SCTP" }];
        if (r < 0.8) return [{ protocol: "UDP" }];
        return undefined;
    };
    const peer = (ns: string): unknown => {
        const r = rand();
        if (r < 0.35) return { podSelector: sel() };
        if (r < 0.55) return { namespaceSelector: nsSel() };
        if (r < 0.8) return { namespaceSelector: nsSel(), podSelector: sel() };
        if (r < 0.9) return { ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "192.168.0.0/16"] } };
        if (r < 0.95) return { ipBlock: { cidr: `10.244.${Math.floor(rand() * 4)}.0/24` } };
        void ns;
        return { ipBlock: { cidr: "2001:db8::/32" } };
    };
    let count = 0;
    /** With `uncertain`, one policy in eight gets an unknown value somewhere. */
    const maybeUnknown = (spec: Record<string, unknown>, meta: Record<string, unknown>): void => {
        if (!options.uncertain || rand() >= 0.125) return;
        const u = new UnknownValue(".generated");
        const r = rand();
        const rules = (spec.ingress ?? spec.egress) as Record<string, unknown>[] | undefined;
        const first = rules?.[0];
        const peers = first ? ((first.from ?? first.to) as unknown[] | undefined) : undefined;
        if (r < 0.15) meta.namespace = u;
        else if (r < 0.3) spec.policyTypes = u;
        else if (r < 0.45 && peers && peers.length > 0) peers[0] = u;
        else if (r < 0.6 && first && Array.isArray(first.ports) && first.ports.length > 0) (first.ports as Record<string, unknown>[])[0] = { port: u, protocol: "TCP" };
        else if (r < 0.75) spec.podSelector = { matchLabels: { app: u } };
        else if (r < 0.85 && first) spec[spec.ingress ? "ingress" : "egress"] = u;
        else if (first) first[spec.ingress ? "from" : "to"] = [{ ipBlock: { cidr: u } }];
    };
    const np = (ns: string, spec: Record<string, unknown>): void => {
        const metadata: Record<string, unknown> = { name: `p-${count++}`, namespace: ns };
        maybeUnknown(spec, metadata);
        objects.push({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata, spec });
    };
    const cnp = (ns: string, spec: Record<string, unknown>): void => {
        objects.push({ apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", metadata: { name: `c-${count++}`, namespace: ns }, spec });
    };
    // Baseline in most namespaces: default deny and DNS.
    for (const n of namespaces.slice(1)) {
        if (count >= options.policies) break;
        if (rand() < 0.8) np(n.name, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        if (count < options.policies) np(n.name, { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] }] });
    }
    while (count < options.policies) {
        const ns = pick(namespaces.slice(1)).name;
        const r = rand();
        const rule = (dir: "from" | "to"): Record<string, unknown> => {
            const peers = rand() < 0.1 ? undefined : Array.from({ length: 1 + Math.floor(rand() * 3) }, () => peer(ns));
            const p = ports();
            return { ...(peers ? { [dir]: peers } : {}), ...(p ? { ports: p } : {}) };
        };
        if (options.cilium && rand() < 0.2) {
            const c = rand();
            const toPorts = [{ ports: [{ port: pick(["443", "8080", "http", "53"]), protocol: pick(["TCP", "UDP", "ANY"]) }] }];
            if (c < 0.3) cnp(ns, { endpointSelector: sel(), egress: [{ toEntities: [pick(["kube-apiserver", "world", "cluster"])], toPorts }] });
            else if (c < 0.6) cnp(ns, { endpointSelector: sel(), ingress: [{ fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": pick(namespaces).name, app: pick(APPS) } }, sel()], toPorts }] });
            else if (c < 0.8) cnp(ns, { endpointSelector: sel(), egress: [{ toCIDRSet: [{ cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] }], toPorts }] });
            else cnp(ns, { endpointSelector: sel(), ingress: [{ fromEntities: ["kube-apiserver"], toPorts }, { fromCIDR: ["168.63.129.16/32"] }] });
            if (options.uncertain && rand() < 0.5) {
                const u = rand();
                if (u < 0.2) cnp(ns, { endpointSelector: sel(), egress: [{ toFQDNs: [{ matchName: "example.com" }], toPorts }] });
                else if (u < 0.4) cnp(ns, { endpointSelector: sel(), egress: [{ toServices: [{ k8sService: { serviceName: "x", namespace: ns } }] }] });
                else if (u < 0.6) cnp(ns, { endpointSelector: sel(), ingress: [{ fromEndpoints: [sel()], toPorts: [{ ports: [{ port: "80", protocol: "TCP" }], rules: { http: [{ method: "GET" }] } }] }] });
                else if (u < 0.8) cnp(ns, { endpointSelector: sel(), ingress: [{ fromEntities: ["remote-node", "host"], toPorts }], egressDeny: [{ toEntities: ["world"] }] });
                else cnp(ns, { endpointSelector: sel(), egress: [{ toEntities: ["remote-node"] }] });
            }
            continue;
        }
        if (r < 0.45) np(ns, { podSelector: sel(), policyTypes: ["Ingress"], ingress: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => rule("from")) });
        else if (r < 0.75) np(ns, { podSelector: sel(), policyTypes: ["Egress"], egress: Array.from({ length: 1 + Math.floor(rand() * 2) }, () => rule("to")) });
        else if (r < 0.9) np(ns, { podSelector: sel(), ingress: [rule("from")], egress: [rule("to")] }); // policyTypes omitted
        else np(ns, { podSelector: sel(), policyTypes: ["Ingress", "Egress"], ingress: [rule("from")], egress: [rule("to")] });
    }
    return { objects, externals, pods: options.pods, policies: count, namespaces: nsCount };
}
