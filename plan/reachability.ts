/**
 * The reachability matrix of the platform's workloads: the stack's NetworkPolicies and
 * CiliumNetworkPolicies (as captured from the program) evaluated by the policy pack's analyzer
 * in Cilium mode, over the platform's pods (written to endpoints.yaml), the stack's own workloads
 * and a few outside endpoints. Written compactly: the open (and inconclusive) cells by pair, so the
 * file grows with the connections, not with the square of the endpoints; every cell not listed is
 * denied, and `netpol explain` on the same files reproduces any of them.
 */
import { stringify as toYaml } from "yaml";
import { analyze, Probe, probeKey } from "../policy-pack/analysis";
import type { PlanResource } from "../policy-pack/plan-resource";
import { parseCidr } from "../policy-pack/shared/net";
import { PlatformConfig } from "../components/config";
import { isManifest, manifestOf } from "./manifests";
import { platformPods, podObjects } from "./workloads";
import { managedNamespaces } from "../components/kubernetes/namespace-specs";

/** Cells of one pair of endpoints, by status. */
export interface PairCells {
    from: string;
    to: string;
    /** `PORT/PROTOCOL` of each probe with this status. */
    probes: string[];
}

export interface NamespaceSummary {
    endpoints: number;
    /** Allowed cells into its endpoints from outside the namespace. */
    allowedIn: number;
    /** Allowed cells from its endpoints to outside the namespace. */
    allowedOut: number;
    inconclusive: number;
}

export interface Reachability {
    probes: Probe[];
    endpoints: { id: string; kind: string; namespace?: string }[];
    /** Endpoints in the namespaces the platform manages (the rows and columns that matter). */
    managed: string[];
    /**
     * Every allowed cell of a pair with a managed endpoint on at least one side (an endpoint to itself
     * included); such a cell in neither list is denied. Pairs with no managed side are outside the
     * platform's policies (none selects their pods) and are not listed: with N apps each declaring an
     * egress there are N² of them.
     */
    allowed: PairCells[];
    inconclusive: PairCells[];
    warnings: string[];
    namespaces: Record<string, NamespaceSummary>;
    /** The `netpol` arguments (after the files) that evaluate the same model. */
    netpolArgs: string[];
}

/** Files the plan writes that, together, are the analyzer's input. */
export const REACHABILITY_INPUTS = ["endpoints.yaml", "manifests.yaml"] as const;

function hostOf(cidr: string, offset: number): string | undefined {
    const c = parseCidr(cidr);
    if (!c || c.family !== 4) return undefined;
    return [24, 16, 8, 0].map((s) => (Number(c.start + BigInt(offset)) >>> s) & 255).join(".");
}

/** Outside endpoints by name: a public client, the resolvers, an address in each app's declared egress. */
export function externalEndpoints(config: PlatformConfig): Record<string, string> {
    const out: Record<string, string> = { internet: "203.0.113.10" };
    for (const ns of config.acme.recursiveNameservers) out[`resolver-${ns.split(":")[0]}`] = ns.split(":")[0];
    config.apps.forEach((a) => a.egress.forEach((e, j) => {
        const host = hostOf(e.cidr, 1);
        if (host) out[`${a.name}-egress-${j + 1}`] = host;
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

/** endpoints.yaml: the pods the plan models that the stack does not declare (chart and system pods). */
export function renderEndpointsFile(config: PlatformConfig, stack: string, args: readonly string[]): string {
    return [
        `# The pods the offline plan of stack ${stack} models besides the stack's own workloads: the charts' and the system's pods`,
        "# (labels and container ports from components/facts.ts). With manifests.yaml they are the analyzer's input for",
        "# reachability.json; any cell of it is reproduced with:",
        `#   npm run -s netpol -- explain ${REACHABILITY_INPUTS.map((f) => `out/${stack}/${f}`).join(" ")} ${args.join(" ")} --from FROM --to TO --port PORT/PROTOCOL`,
        ...podObjects(platformPods(config)).map((o) => `---\n${toYaml(o, { lineWidth: 0 })}`),
    ].join("\n");
}

export function reachability(config: PlatformConfig, resources: readonly PlanResource[]): Reachability {
    const stackObjects = resources.filter(isManifest).map(manifestOf);
    const externals = externalEndpoints(config);
    const analysis = analyze([...podObjects(platformPods(config)), ...stackObjects], { dataplane: "cilium", externals });
    const ids = analysis.endpoints.map((e) => e.id);
    const namespaceOf = new Map(analysis.endpoints.map((e) => [e.id, e.namespace]));
    const managedNs = new Set(managedNamespaces(config).map((n) => n.name));
    const managed = analysis.endpoints.filter((e) => e.namespace !== undefined && managedNs.has(e.namespace)).map((e) => e.id);
    const probes = probesFor(config);
    const allowed = new Map<number, string[]>();
    const inconclusive = new Map<number, string[]>();
    const n = ids.length;
    const managedSet = new Set(managed);
    const isManaged = ids.map((id) => managedSet.has(id));
    for (const probe of probes) {
        const { allowed: sure, possible } = analysis.cells(probe, ids, ids);
        for (let b = 0; b < n * n; b++) {
            if (!isManaged[Math.floor(b / n)] && !isManaged[b % n]) continue;
            const bit = 1 << (b & 31);
            const target = (sure[b >>> 5] & bit) !== 0 ? allowed : (possible[b >>> 5] & bit) !== 0 ? inconclusive : undefined;
            if (target) target.set(b, [...(target.get(b) ?? []), probeKey(probe)]);
        }
    }
    const pairs = (cells: Map<number, string[]>): PairCells[] =>
        [...cells.entries()].sort((a, b) => a[0] - b[0]).map(([b, p]) => ({ from: ids[Math.floor(b / n)], to: ids[b % n], probes: p }));
    const namespaces: Record<string, NamespaceSummary> = {};
    const summary = (ns: string): NamespaceSummary => (namespaces[ns] ??= { endpoints: 0, allowedIn: 0, allowedOut: 0, inconclusive: 0 });
    for (const e of analysis.endpoints) if (e.namespace !== undefined) summary(e.namespace).endpoints++;
    const allowedPairs = pairs(allowed);
    const inconclusivePairs = pairs(inconclusive);
    for (const c of allowedPairs) {
        const from = namespaceOf.get(c.from);
        const to = namespaceOf.get(c.to);
        if (from === to) continue;
        if (from !== undefined) summary(from).allowedOut += c.probes.length;
        if (to !== undefined) summary(to).allowedIn += c.probes.length;
    }
    for (const c of inconclusivePairs) for (const ns of new Set([namespaceOf.get(c.from), namespaceOf.get(c.to)])) if (ns !== undefined) summary(ns).inconclusive += c.probes.length;
    return {
        probes,
        endpoints: analysis.endpoints.map((e) => ({ id: e.id, kind: e.kind, ...(e.namespace !== undefined ? { namespace: e.namespace } : {}) })),
        managed,
        allowed: allowedPairs,
        inconclusive: inconclusivePairs,
        warnings: analysis.warnings,
        namespaces,
        netpolArgs: ["--dataplane", "cilium", ...Object.entries(externals).flatMap(([name, ip]) => ["--external", `${name}=${ip}`])],
    };
}

/** Connections a reader cares about: not an endpoint to itself, and a managed endpoint on at least one side. */
function shown(r: Reachability, cells: PairCells[]): PairCells[] {
    const managed = new Set(r.managed);
    return cells.filter((a) => a.from !== a.to && (managed.has(a.from) || managed.has(a.to)));
}

/** Markdown: the allowed connections as a table (everything not listed is denied). */
export function renderReachabilityTable(r: Reachability): string {
    const others = r.endpoints.length - r.managed.length;
    const pairs = r.managed.length * (r.managed.length - 1) + 2 * r.managed.length * others;
    const open = shown(r, r.allowed);
    const inconclusive = shown(r, r.inconclusive);
    return [
        `Probes: ${r.probes.map(probeKey).join(", ")}. ${r.managed.length} managed workloads, ${others} other endpoints.`,
        `${open.length} of the ${pairs} ordered pairs with a managed workload on one side have an open probe${inconclusive.length ? `, ${inconclusive.length} an inconclusive one` : ""}; every pair not listed is closed on every probe.`,
        "",
        "| from | to | open |",
        "| --- | --- | --- |",
        ...open.map((a) => `| ${a.from} | ${a.to} | ${a.probes.join(", ")} |`),
        ...(inconclusive.length ? ["", "Inconclusive (the analyzer cannot decide them):", "", "| from | to | probes |", "| --- | --- | --- |", ...inconclusive.map((a) => `| ${a.from} | ${a.to} | ${a.probes.join(", ")} |`)] : []),
        ...(r.warnings.length ? ["", "Warnings:", "", ...r.warnings.map((w) => `- ${w}`)] : []),
        "",
    ].join("\n");
}

/** Mermaid: one edge per allowed connection, labelled with its open probes. */
export function renderReachabilityMermaid(r: Reachability): string {
    const open = shown(r, r.allowed);
    const used = new Set(open.flatMap((a) => [a.from, a.to]));
    const id = new Map([...used].map((e, i) => [e, `e${i}`]));
    return [
        "flowchart LR",
        ...[...used].map((e) => `    ${id.get(e)}["${e}"]`),
        ...open.map((a) => `    ${id.get(a.from)} -->|"${a.probes.join(", ")}"| ${id.get(a.to)}`),
        "",
    ].join("\n");
}
