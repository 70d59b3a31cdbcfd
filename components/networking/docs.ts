/**
 * The flows as documentation: a Markdown table and a Mermaid flowchart, rendered from the same
 * flow list the policies come from. docs/network-flows.md carries the dev stack's rendering between
 * `<!-- flows:start -->` and `<!-- flows:end -->`; `npm run docs` (plan/update-docs.ts) rewrites it and a
 * test fails when it is stale.
 */
import * as fs from "fs";
import { PlatformConfig } from "../config";
import { managedNamespaces } from "../kubernetes/namespace-specs";
import { DNS_PORTS, Endpoint, FlowPort, KUBE_DNS, platformFlows } from "./flows";
import { flowPolicies } from "./policies";

export const FLOWS_START_MARKER = "<!-- flows:start -->";
export const FLOWS_END_MARKER = "<!-- flows:end -->";
/** The page that carries the rendering, relative to the repository root. */
export const FLOWS_DOC_FILE = "docs/network-flows.md";
/** The stack whose config that page's rendering shows. */
export const FLOWS_DOC_STACK = "dev";

function labelsText(labels: Readonly<Record<string, string>>): string {
    return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
}

function portsText(ports: readonly FlowPort[]): string {
    return ports.map((p) => `${p.port}/${p.protocol}`).join(", ");
}

/** An endpoint in words; `asSource` matters for the API server, whose inbound paths differ from its address. */
function endpointText(e: Endpoint, asSource: boolean): string {
    switch (e.kind) {
        case "workload":
            return `${e.label} (\`${e.namespace}\`: \`${labelsText(e.podLabels)}\`)`;
        case "cidr":
            return e.except.length > 0 ? `${e.label}: \`${e.cidrs.join(", ")}\` except \`${e.except.join(", ")}\`` : `${e.label}: \`${e.cidrs.join(", ")}\``;
        case "apiserver":
            return asSource
                ? `${e.label}: its calls arrive from the nodes, entities ${e.callerEntities.map((x) => `\`${x}\``).join(", ")}`
                : `${e.label}: entity \`${e.entity}\``;
        case "any":
            return e.label;
    }
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The flows table: baseline rows, then one row per flow with the policies that implement it. */
export function renderFlowsMarkdown(config: PlatformConfig): string {
    const namespaces = managedNamespaces(config).map((n) => `\`${n.name}\``).join(", ");
    const rows: string[][] = [
        ["(baseline) `default-deny`", `every pod in ${namespaces}`, "-", "-", "NetworkPolicy `default-deny` in each", "no ingress, no egress unless a flow below allows it"],
        ["(baseline) `allow-dns`", `every pod in ${namespaces}`, endpointText(KUBE_DNS, false), portsText(DNS_PORTS), "NetworkPolicy `allow-dns` in each", "name resolution; nothing else in kube-system"],
    ];
    for (const flow of platformFlows(config)) {
        const policies = flowPolicies(flow).map((p) => `${p.kind} \`${p.metadata.namespace}/${p.metadata.name}\``).join("<br>");
        rows.push([`\`${flow.name}\``, endpointText(flow.source, true), endpointText(flow.destination, false), portsText(flow.ports), policies, flow.why]);
    }
    const header = ["Flow", "From", "To", "Ports", "Policies", "Why"];
    return [
        `| ${header.join(" | ")} |`,
        `|${header.map(() => "---").join("|")}|`,
        ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
    ].join("\n") + "\n";
}

function mermaidId(text: string): string {
    return text.replace(/[^A-Za-z0-9]+/g, "_");
}

function mermaidText(text: string): string {
    return text.replace(/"/g, "#quot;");
}

interface DiagramNode {
    key: string;
    text: string;
    namespace?: string;
}

function diagramNode(e: Endpoint): DiagramNode {
    switch (e.kind) {
        case "workload":
            return { key: `${e.namespace}/${labelsText(e.podLabels)}`, text: e.label, namespace: e.namespace };
        case "cidr":
            return { key: `cidr/${e.cidrs.join(",")}/${e.except.join(",")}`, text: e.except.length > 0 ? e.label : `${e.label} ${e.cidrs.join(", ")}` };
        case "apiserver":
            return { key: "apiserver", text: e.label };
        case "any":
            return { key: "any", text: e.label };
    }
}

/** A Mermaid flowchart: namespaces as subgraphs, flows as edges labelled with their ports, DNS dotted. */
export function renderFlowsMermaid(config: PlatformConfig): string {
    const nodes = new Map<string, DiagramNode & { id: string }>();
    const add = (e: Endpoint): string => {
        const n = diagramNode(e);
        const existing = nodes.get(n.key);
        if (existing) return existing.id;
        const id = `n${nodes.size + 1}`;
        nodes.set(n.key, { ...n, id });
        return id;
    };
    const edges = platformFlows(config).map((flow) => `    ${add(flow.source)} -->|"${portsText(flow.ports)}"| ${add(flow.destination)}`);
    const dns = add(KUBE_DNS);
    const managed = managedNamespaces(config).map((n) => n.name);
    const namespaces = [...new Set([...managed, ...[...nodes.values()].flatMap((n) => (n.namespace === undefined ? [] : [n.namespace]))])];
    const lines = ["flowchart LR"];
    for (const ns of namespaces) {
        lines.push(`    subgraph ns_${mermaidId(ns)}["${mermaidText(`namespace ${ns}`)}"]`);
        for (const n of nodes.values()) if (n.namespace === ns) lines.push(`        ${n.id}["${mermaidText(n.text)}"]`);
        lines.push("    end");
    }
    for (const n of nodes.values()) if (n.namespace === undefined) lines.push(`    ${n.id}(["${mermaidText(n.text)}"])`);
    lines.push(...edges);
    for (const ns of managed) lines.push(`    ns_${mermaidId(ns)} -.->|"${portsText(DNS_PORTS)}"| ${dns}`);
    return lines.join("\n") + "\n";
}

/** What goes between the markers: table, notes and diagram for one stack's config. */
export function renderFlowsSection(config: PlatformConfig, stack: string = FLOWS_DOC_STACK): string {
    return [
        `<!-- Generated from components/networking/flows.ts for the ${stack} stack by \`npm run docs\`; do not edit by hand. -->`,
        "",
        renderFlowsMarkdown(config),
        "Every managed namespace is default-deny in both directions; each flow opens exactly its ports between exactly these pods (selected by the charts' labels).",
        "Flows to or from the API server are CiliumNetworkPolicies: Cilium gives the API server the reserved `kube-apiserver` identity, which an `ipBlock` never matches.",
        "On AKS the API server's calls into admission webhooks are tunnelled through the nodes and arrive as `remote-node` (`host` on the pod's own node), never as `kube-apiserver` (cilium/cilium issue 31711; Cilium docs, \"Entities based\"), so webhook ports are open from those identities; `webhookAllowAnySource: true` opens them to any source.",
        "Metrics flows exist in every stack (a Prometheus outside the configured namespace and labels never matches). Kubelet probes need no flow: Cilium lets a node reach its own pods.",
        "",
        "```mermaid",
        renderFlowsMermaid(config).trimEnd(),
        "```",
        "",
    ].join("\n");
}

/** The text between the flow markers, or undefined when either marker is missing. */
export function flowsBlock(page: string): string | undefined {
    const start = page.indexOf(FLOWS_START_MARKER);
    const end = page.indexOf(FLOWS_END_MARKER);
    if (start < 0 || end < start) return undefined;
    return page.slice(start + FLOWS_START_MARKER.length, end);
}

/** The exact block the page should hold between the markers. */
export function expectedFlowsBlock(config: PlatformConfig, stack: string = FLOWS_DOC_STACK): string {
    return `\n${renderFlowsSection(config, stack)}`;
}

/**
 * Rewrites the page's flows block (appending a "Network flows" section with markers when they
 * are missing). Returns true when the file changed.
 */
export function updateFlowsDoc(pagePath: string, config: PlatformConfig): boolean {
    if (!fs.existsSync(pagePath)) throw new Error(`no flows page at ${pagePath}; create it (the block is appended to it)`);
    const page = fs.readFileSync(pagePath, "utf8");
    const block = expectedFlowsBlock(config);
    let next: string;
    if (flowsBlock(page) === undefined) {
        next = `${page.replace(/\n*$/, "\n")}\n## Network flows\n\n${FLOWS_START_MARKER}${block}${FLOWS_END_MARKER}\n`;
    } else {
        const start = page.indexOf(FLOWS_START_MARKER) + FLOWS_START_MARKER.length;
        next = page.slice(0, start) + block + page.slice(page.indexOf(FLOWS_END_MARKER));
    }
    if (next === page) return false;
    fs.writeFileSync(pagePath, next);
    return true;
}
