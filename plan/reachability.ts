/**
 * The reachability matrix of the platform's workloads: the stack's NetworkPolicies and
 * CiliumNetworkPolicies (as captured from the program) evaluated by the policy pack's analyzer
 * in Cilium mode, over the platform's pods, the stack's own workloads and a few outside endpoints.
 */
import { analyze, Matrix, Probe } from "../policy-pack/analysis";
import type { PlanResource } from "../policy-pack/plan-resource";
import { PlatformConfig } from "../components/config";
import { parseCidr } from "../policy-pack/shared/net";
const parseIpv4Cidr = (t: string): { base: number } | undefined => { const c = parseCidr(t); return c && c.family === 4 ? { base: Number(c.start) } : undefined; };
import { isManifest, manifestOf } from "./manifests";
import { platformPods, podObjects } from "./workloads";
import { managedNamespaces } from "../components/kubernetes/namespace-specs";

export interface Reachability {
    probes: Probe[];
    endpoints: string[];
    matrix: Matrix;
    /** Endpoints in the namespaces the platform manages (the rows and columns that matter). */
    managed: string[];
    /** Allowed connections with a managed endpoint on at least one side: from, to, and the probes that pass. */
    allowed: { from: string; to: string; probes: string[] }[];
}

const probeKey = (p: Probe): string => `${p.port}/${p.protocol}`;

function ipv4(n: number): string {
    return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

/** Outside endpoints by name: a public client, the load balancer probe, the API server subnet, the resolvers. */
export function externalEndpoints(config: PlatformConfig): Record<string, string> {
    const out: Record<string, string> = { internet: "203.0.113.10", "azure-lb-probe": "168.63.129.16" };
    const subnet = parseIpv4Cidr(config.network.apiServerSubnetCidr);
    if (subnet) out["apiserver-subnet"] = ipv4(subnet.base + 4);
    for (const ns of config.acme.recursiveNameservers) out[`resolver ${ns.split(":")[0]}`] = ns.split(":")[0];
    config.apps.forEach((a) => a.egress.forEach((e, j) => {
        const c = parseIpv4Cidr(e.cidr);
        if (c) out[`${a.name} egress ${j + 1}`] = ipv4(c.base + 1);
    }));
    return out;
}

/** The ports worth probing: every port a platform flow could use, plus each app's. */
export function probesFor(config: PlatformConfig): Probe[] {
    const probes: Probe[] = [
        { port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }, { port: 80, protocol: "TCP" }, { port: 443, protocol: "TCP" },
        { port: 9402, protocol: "TCP" }, { port: 9113, protocol: "TCP" }, { port: 10250, protocol: "TCP" },
    ];
    if (config.istioCsr.enabled) probes.push({ port: 6443, protocol: "TCP" });
    for (const a of config.apps) {
        probes.push({ port: a.port, protocol: "TCP" });
        for (const e of a.egress) probes.push({ port: e.port, protocol: e.protocol });
    }
    const seen = new Set<string>();
    return probes.filter((p) => !seen.has(probeKey(p)) && seen.add(probeKey(p)) !== undefined);
}

export function reachability(config: PlatformConfig, resources: readonly PlanResource[]): Reachability {
    const stackObjects = resources.filter(isManifest).map(manifestOf);
    const analysis = analyze([...podObjects(platformPods(config)), ...stackObjects], { dataplane: "cilium", externals: externalEndpoints(config) });
    const endpoints = analysis.endpoints.map((e) => e.id);
    const namespaces = new Set(managedNamespaces(config).map((n) => n.name));
    const managed = analysis.endpoints.filter((e) => e.namespace !== undefined && namespaces.has(e.namespace)).map((e) => e.id);
    const probes = probesFor(config);
    const matrix = analysis.matrix(probes);
    const allowed: Reachability["allowed"] = [];
    for (const from of endpoints) {
        for (const to of endpoints) {
            // Unmanaged pairs (kube-system to the internet, say) are outside the platform's policies.
            if (from === to || (!managed.includes(from) && !managed.includes(to))) continue;
            const open = probes.filter((p) => matrix[probeKey(p)]?.[from]?.[to] === true).map(probeKey);
            if (open.length > 0) allowed.push({ from, to, probes: open });
        }
    }
    return { probes, endpoints, managed, matrix, allowed };
}

/** Markdown: the allowed connections as a table (everything not listed is denied). */
export function renderReachabilityTable(r: Reachability): string {
    const others = r.endpoints.length - r.managed.length;
    const pairs = r.managed.length * (r.managed.length - 1) + 2 * r.managed.length * others;
    return [
        `Probes: ${r.probes.map(probeKey).join(", ")}. ${r.managed.length} managed workloads, ${others} other endpoints.`,
        `${r.allowed.length} of the ${pairs} ordered pairs with a managed workload on one side have an open probe; every pair not listed is closed on every probe.`,
        "",
        "| from | to | open |",
        "| --- | --- | --- |",
        ...r.allowed.map((a) => `| ${a.from} | ${a.to} | ${a.probes.join(", ")} |`),
        "",
    ].join("\n");
}

/** Mermaid: one edge per allowed connection, labelled with its open probes. */
export function renderReachabilityMermaid(r: Reachability): string {
    const used = new Set(r.allowed.flatMap((a) => [a.from, a.to]));
    const id = new Map([...used].map((e, i) => [e, `e${i}`]));
    return [
        "flowchart LR",
        ...[...used].map((e) => `    ${id.get(e)}["${e}"]`),
        ...r.allowed.map((a) => `    ${id.get(a.from)} -->|"${a.probes.join(", ")}"| ${id.get(a.to)}`),
        "",
    ].join("\n");
}
