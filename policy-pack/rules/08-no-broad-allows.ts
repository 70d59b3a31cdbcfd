/**
 * Rule 8: no broad allows. No NetworkPolicy (or CiliumNetworkPolicy) rule allows all sources to all
 * ports or all destinations on all ports (except policies `broadAllowExceptions` names); an ipBlock of
 * 0.0.0.0/0 (`::/0`, Cilium `world`/`all`) is allowed only into the ingress controller on
 * `publicIngressPorts`, and out on `allowedBroadEgressPorts`.
 */
import { EndpointSpec, PackConfig } from "../config";
import { arr, get, matchesPattern, metaName, namespaceOf, parsePortProto, ResourceLike, selectorMatches, selectsAll, str, subjectOf, T } from "./lib/k8s";
import { Reporter, stackRule } from "./lib/rule";
import { Cidr, parseCidr } from "../shared/net";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);
const WORLD_ENTITIES = new Set(["world", "all", "world-ipv4", "world-ipv6"]);

type Direction = "ingress" | "egress";

/** Labels of a namespace nobody has created yet: a selector that matches it matches every namespace. */
const UNSEEN_NAMESPACE = { "kubernetes.io/metadata.name": "no-broad-allows-unseen-namespace" };

/** A peer that selects every pod of every namespace, however it is written (`{}`, `DoesNotExist` on an absent key...). */
function selectsEveryPod(peer: unknown): boolean {
    const nsSel = get(peer, "namespaceSelector");
    const podSel = get(peer, "podSelector");
    return nsSel !== undefined && get(peer, "ipBlock") === undefined && selectorMatches(nsSel, UNSEEN_NAMESPACE) &&
        (podSel === undefined || selectorMatches(podSel, {}));
}

/**
 * Whether blocks (each a CIDR minus its exceptions) together cover a whole address family: the
 * union of `0.0.0.0/1` and `128.0.0.0/1` is as broad as `0.0.0.0/0`.
 */
export function coversAllAddresses(blocks: readonly { cidr: string; except: readonly string[] }[]): string | undefined {
    for (const family of [4, 6] as const) {
        const max = (1n << BigInt(family === 4 ? 32 : 128)) - 1n;
        const ranges: [bigint, bigint][] = [];
        for (const b of blocks) {
            const c = parseCidr(b.cidr);
            if (!c || c.family !== family) continue;
            let pieces: [bigint, bigint][] = [[c.start, c.end]];
            for (const e of b.except.map((x) => parseCidr(x)).filter((x): x is Cidr => x !== undefined && x.family === family)) {
                pieces = pieces.flatMap(([a, z]): [bigint, bigint][] => {
                    if (e.end < a || e.start > z) return [[a, z]];
                    const out: [bigint, bigint][] = [];
                    if (e.start > a) out.push([a, e.start - 1n]);
                    if (e.end < z) out.push([e.end + 1n, z]);
                    return out;
                });
            }
            ranges.push(...pieces);
        }
        ranges.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
        let next = 0n;
        for (const [a, z] of ranges) {
            if (a > next) break;
            if (z + 1n > next) next = z + 1n;
        }
        if (next > max) return family === 4 ? "0.0.0.0/0" : "::/0";
    }
    return undefined;
}

/** Ports of a rule as `PORT/PROTO` strings; `undefined` means all ports. */
function rulePorts(rule: unknown, cilium: boolean): string[] | undefined {
    const out: string[] = [];
    if (cilium) {
        const toPorts = arr(get(rule, "toPorts"));
        if (toPorts.length === 0) return undefined;
        for (const tp of toPorts) {
            const ports = arr(get(tp, "ports"));
            if (ports.length === 0) return undefined;
            for (const p of ports) {
                const port = String(get(p, "port") ?? "0");
                if (port === "0") return undefined;
                const proto = (str(get(p, "protocol")) ?? "ANY").toUpperCase();
                if (proto === "ANY") out.push(`${port}/TCP`, `${port}/UDP`, `${port}/SCTP`);
                else out.push(`${port}/${proto}`);
                if (get(p, "endPort") !== undefined) out.push(`${port}-${String(get(p, "endPort"))}/${proto}`);
            }
        }
        return out;
    }
    const ports = arr(get(rule, "ports"));
    if (ports.length === 0) return undefined;
    for (const p of ports) {
        const port = get(p, "port");
        if (port === undefined) return undefined;
        const proto = (str(get(p, "protocol")) ?? "TCP").toUpperCase();
        const end = get(p, "endPort");
        out.push(end !== undefined ? `${String(port)}-${String(end)}/${proto}` : `${String(port)}/${proto}`);
    }
    return out;
}

function isPublicIngressTarget(cfg: PackConfig, ns: string, selector: unknown): boolean {
    const ic: EndpointSpec | undefined = cfg.endpoints[cfg.ingressControllerEndpoint];
    // The controller's own pods, not every pod of its namespace (solver pods run there too).
    return ic !== undefined && ic.namespace === ns && !selectsAll(selector) && selectorMatches(selector, ic.labels);
}

function allowedPorts(list: string[]): Set<string> {
    return new Set(list.map((p) => { const x = parsePortProto(p); return `${x.port}/${x.protocol}`; }));
}

/** Checks one policy; returns nothing, reports through `rep`. */
function checkPolicy(np: ResourceLike, cfg: PackConfig, rep: Reporter, publicIn: Set<string>, broadOut: Set<string>): void {
    const subject = subjectOf(np);
    const cilium = np.type === T.ciliumNetworkPolicy;
    const ns = namespaceOf(np);
    const id = `${ns}/${metaName(np) ?? np.name}`;
    if (matchesPattern(id, cfg.broadAllowExceptions)) return;
    const spec = get(np.props, "spec");
    const selector = cilium ? get(spec, "endpointSelector") : get(spec, "podSelector");
    for (const dir of ["ingress", "egress"] as Direction[]) {
        arr(get(spec, dir)).forEach((rule, i) => {
            const where = `${dir}[${i}]`;
            const ports = rulePorts(rule, cilium);
            const peersKey = dir === "ingress" ? "from" : "to";
            let everywhere: boolean;
            let anyAddress: string | undefined;
            if (cilium) {
                const keys = dir === "ingress" ? ["fromEndpoints", "fromEntities", "fromCIDR", "fromCIDRSet", "fromRequires", "fromServices"] : ["toEndpoints", "toEntities", "toCIDR", "toCIDRSet", "toFQDNs", "toServices", "toRequires"];
                everywhere = keys.every((k) => get(rule, k) === undefined);
                const entities = arr(get(rule, dir === "ingress" ? "fromEntities" : "toEntities")).map(String);
                const cidrs = [...arr(get(rule, dir === "ingress" ? "fromCIDR" : "toCIDR")).map(String),
                    ...arr(get(rule, dir === "ingress" ? "fromCIDRSet" : "toCIDRSet")).map((c) => str(get(c, "cidr")) ?? "")];
                const world = entities.find((e) => WORLD_ENTITIES.has(e));
                const cidrSets = arr(get(rule, dir === "ingress" ? "fromCIDRSet" : "toCIDRSet")).map((c) => ({ cidr: str(get(c, "cidr")) ?? "", except: arr(get(c, "except")).map(String) }));
                const union = coversAllAddresses([...arr(get(rule, dir === "ingress" ? "fromCIDR" : "toCIDR")).map((c) => ({ cidr: String(c), except: [] })), ...cidrSets]);
                anyAddress = world ? `${dir === "ingress" ? "fromEntities" : "toEntities"}: ${world}` : cidrs.find((c) => ANYWHERE.has(c)) ?? (union ? `CIDRs covering ${union}` : undefined);
            } else {
                const peers = arr(get(rule, peersKey));
                const blocks = peers.map((p) => ({ cidr: str(get(p, "ipBlock", "cidr")), except: arr(get(p, "ipBlock", "except")).map(String) }))
                    .filter((b): b is { cidr: string; except: string[] } => b.cidr !== undefined);
                const union = coversAllAddresses(blocks);
                const allAddresses = blocks.find((b) => ANYWHERE.has(b.cidr))?.cidr ?? (union ? `ipBlocks covering ${union}` : undefined);
                // Every pod of every namespace plus every address is the same as no peer at all.
                everywhere = peers.length === 0 || (peers.some(selectsEveryPod) && allAddresses !== undefined);
                anyAddress = allAddresses ?? (peers.some(selectsEveryPod) ? "every pod of every namespace" : undefined);
            }
            if (everywhere && ports === undefined) {
                rep.violation(subject, `${where} allows ${dir === "ingress" ? "all sources to all ports" : "all destinations on all ports"}`,
                    `name the ${dir === "ingress" ? "sources" : "destinations"} (podSelector/namespaceSelector) and the ports in ${where}, or list "${id}" in broadAllowExceptions`);
                return;
            }
            const any = everywhere ? "every address" : anyAddress;
            if (!any) return;
            if (dir === "ingress") {
                const target = isPublicIngressTarget(cfg, ns, selector);
                const bad = ports === undefined ? ["all ports"] : ports.filter((p) => !publicIn.has(p));
                if (!target || bad.length > 0) {
                    rep.violation(subject, target ? `${where} opens ${bad.join(", ")} to ${any}; only ${cfg.publicIngressPorts.join(", ")} may be public`
                        : `${where} opens ${ports === undefined ? "all ports" : ports.join(", ")} to ${any}, and the policy does not select the ingress controller's pods`,
                        `restrict the sources to the callers that need it (podSelector/namespaceSelector or a narrow ipBlock), or list "${id}" in broadAllowExceptions`);
                }
            } else {
                const bad = ports === undefined ? ["all ports"] : ports.filter((p) => !broadOut.has(p));
                if (bad.length > 0) {
                    rep.violation(subject, `${where} opens ${bad.join(", ")} to ${any}; only ${cfg.allowedBroadEgressPorts.join(", ") || "no ports"} may go to any address`,
                        `name the destination CIDRs (e.g. the database's subnet) instead of ${any}, or add the port to allowedBroadEgressPorts`);
                }
            }
        });
    }
}

export const noBroadAllows = stackRule({
    name: "no-broad-allows",
    displayName: "No broad NetworkPolicy allows",
    description: "No NetworkPolicy rule allows all sources to all ports or all destinations on all ports; 0.0.0.0/0 only into the ingress controller on 80/443 and out on the configured egress ports.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Name the peers (podSelector/namespaceSelector, or the exact CIDRs) and the ports of each rule; use 0.0.0.0/0 only for the ingress controller's 80/443 and allowedBroadEgressPorts.",
}, ["broadAllowExceptions", "allowedBroadEgressPorts", "publicIngressPorts", "ingressControllerEndpoint", "endpoints"], (resources, cfg, rep) => {
    const publicIn = allowedPorts(cfg.publicIngressPorts);
    const broadOut = allowedPorts(cfg.allowedBroadEgressPorts);
    for (const np of resources.filter((r) => r.type === T.networkPolicy || r.type === T.ciliumNetworkPolicy)) {
        rep.guard(subjectOf(np), () => checkPolicy(np, cfg, rep, publicIn, broadOut));
    }
});
