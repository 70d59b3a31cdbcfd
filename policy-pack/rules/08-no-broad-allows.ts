/**
 * Rule 8: no broad allows. No NetworkPolicy (or CiliumNetworkPolicy) rule allows all sources to all
 * ports or all destinations on all ports (except policies `broadAllowExceptions` names); an ipBlock of
 * 0.0.0.0/0 (`::/0`, Cilium `world`/`all`) is allowed only into the ingress controller on
 * `publicIngressPorts`, and out on `allowedBroadEgressPorts`.
 *
 * Each rule entry is judged on its own, and within it each peer: at preview, a violation the known
 * peers and ports already show is a violation; a rule that is broad only if an unknown peer or port
 * makes it so is undecided, naming that property path; a rule no unknown could make a violation passes.
 */
import { EndpointSpec, PackConfig } from "../config";
import { arr, get, isObj, isUnknownValue, matchesPattern, Obj, parsePortProto, selectorMatches, subjectOf, T, unknownPaths, withUnknowns } from "./lib/k8s";
import { Reporter, stackRule, Subject } from "./lib/rule";
import { Cidr, parseCidr } from "../shared/net";

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);
const WORLD_ENTITIES = new Set(["world", "all", "world-ipv4", "world-ipv6"]);

type Direction = "ingress" | "egress";
type Tri = "yes" | "no" | "maybe";

/** Labels of a namespace nobody has created yet: a selector that matches it matches every namespace. */
const UNSEEN_NAMESPACE = { "kubernetes.io/metadata.name": "no-broad-allows-unseen-namespace" };

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

/** What a rule entry's peers are, from its known parts; `unknown` lists the paths that could make it broader. */
interface PeerView {
    /** No peer restriction at all (every source / destination). */
    everywhere: boolean;
    /** A known peer that covers every address or every pod, in words. */
    broad?: string;
    /** Paths of unknown peers or peer parts that could cover every address. */
    unknown: string[];
}

/** A NetworkPolicy peer that selects every pod of every namespace, however it is written. */
function selectsEveryPod(peer: Obj): Tri {
    const nsSel = peer.namespaceSelector;
    const podSel = peer.podSelector;
    // Without a namespaceSelector a peer stays in the policy's namespace (ipBlock peers never get here).
    if (nsSel === undefined) return "no";
    if (unknownPaths(nsSel).length > 0 || unknownPaths(podSel).length > 0) return "maybe";
    return selectorMatches(nsSel, UNSEEN_NAMESPACE) && (podSel === undefined || selectorMatches(podSel, {})) ? "yes" : "no";
}

function k8sPeers(rule: unknown, dir: Direction): PeerView {
    const raw = get(rule, dir === "ingress" ? "from" : "to");
    if (isUnknownValue(raw)) return { everywhere: false, unknown: [raw.path] };
    const peers = arr(raw);
    if (peers.length === 0) return { everywhere: true, unknown: [] };
    const unknown: string[] = [];
    const blocks: { cidr: string; except: string[] }[] = [];
    let everyPod = false;
    for (const p of peers) {
        if (isUnknownValue(p)) {
            unknown.push(p.path);
            continue;
        }
        if (!isObj(p)) continue;
        const ib = p.ipBlock;
        if (ib !== undefined) {
            const parts = unknownPaths(ib);
            if (parts.length > 0) unknown.push(...parts);
            else blocks.push({ cidr: String(get(ib, "cidr")), except: arr(get(ib, "except")).map(String) });
            continue;
        }
        const every = selectsEveryPod(p);
        if (every === "yes") everyPod = true;
        else if (every === "maybe") unknown.push(...unknownPaths(p));
    }
    const union = coversAllAddresses(blocks);
    const allAddresses = blocks.find((b) => ANYWHERE.has(b.cidr))?.cidr ?? (union ? `ipBlocks covering ${union}` : undefined);
    // Every pod of every namespace plus every address is the same as no peer at all.
    return { everywhere: everyPod && allAddresses !== undefined, broad: allAddresses ?? (everyPod ? "every pod of every namespace" : undefined), unknown };
}

const CILIUM_PEER_KEYS: Record<Direction, string[]> = {
    ingress: ["fromEndpoints", "fromEntities", "fromCIDR", "fromCIDRSet", "fromRequires", "fromServices", "fromGroups", "fromNodes"],
    egress: ["toEndpoints", "toEntities", "toCIDR", "toCIDRSet", "toFQDNs", "toServices", "toRequires", "toGroups", "toNodes"],
};

function ciliumPeers(rule: unknown, dir: Direction): PeerView {
    const pre = dir === "ingress" ? "from" : "to";
    if (!isObj(rule)) return { everywhere: false, unknown: [] };
    const present = CILIUM_PEER_KEYS[dir].filter((k) => rule[k] !== undefined);
    if (present.length === 0) return { everywhere: true, unknown: [] };
    const unknown: string[] = [];
    let world: string | undefined;
    const entities = rule[`${pre}Entities`];
    if (isUnknownValue(entities)) unknown.push(entities.path);
    else for (const e of arr(entities)) {
        if (isUnknownValue(e)) unknown.push(e.path);
        else if (WORLD_ENTITIES.has(String(e))) world ??= `${pre}Entities: ${String(e)}`;
    }
    const blocks: { cidr: string; except: string[] }[] = [];
    const cidrs = rule[`${pre}CIDR`];
    if (isUnknownValue(cidrs)) unknown.push(cidrs.path);
    else for (const c of arr(cidrs)) {
        if (isUnknownValue(c)) unknown.push(c.path);
        else blocks.push({ cidr: String(c), except: [] });
    }
    const sets = rule[`${pre}CIDRSet`];
    if (isUnknownValue(sets)) unknown.push(sets.path);
    else for (const s of arr(sets)) {
        const parts = unknownPaths(s);
        if (parts.length > 0) unknown.push(...parts);
        else if (get(s, "cidr") !== undefined) blocks.push({ cidr: String(get(s, "cidr")), except: arr(get(s, "except")).map(String) });
    }
    const union = coversAllAddresses(blocks);
    const any = blocks.find((b) => ANYWHERE.has(b.cidr) && b.except.length === 0)?.cidr ?? blocks.find((b) => ANYWHERE.has(b.cidr))?.cidr;
    return { everywhere: false, broad: world ?? any ?? (union ? `CIDRs covering ${union}` : undefined), unknown };
}

/** Ports of a rule entry as `PORT/PROTO` strings; `all` = every port; `unknown` = paths of unknown port parts. */
function rulePorts(rule: unknown, cilium: boolean): { ports: string[] | "all"; unknown: string[] } {
    const out: string[] = [];
    const unknown: string[] = [];
    if (cilium) {
        const toPorts = get(rule, "toPorts");
        if (isUnknownValue(toPorts)) return { ports: [], unknown: [toPorts.path] };
        if (arr(toPorts).length === 0) return { ports: "all", unknown };
        for (const tp of arr(toPorts)) {
            const ports = get(tp, "ports");
            if (isUnknownValue(tp) || isUnknownValue(ports)) {
                unknown.push(...unknownPaths(tp));
                continue;
            }
            if (arr(ports).length === 0) return { ports: "all", unknown };
            for (const p of arr(ports)) {
                const parts = unknownPaths(p);
                if (parts.length > 0) {
                    unknown.push(...parts);
                    continue;
                }
                const port = String(get(p, "port") ?? "0");
                if (port === "0") return { ports: "all", unknown };
                const proto = String(get(p, "protocol") ?? "ANY").toUpperCase();
                if (proto === "ANY") out.push(`${port}/TCP`, `${port}/UDP`, `${port}/SCTP`);
                else out.push(`${port}/${proto}`);
                if (get(p, "endPort") !== undefined) out.push(`${port}-${String(get(p, "endPort"))}/${proto}`);
            }
        }
        return { ports: out, unknown };
    }
    const ports = get(rule, "ports");
    if (isUnknownValue(ports)) return { ports: [], unknown: [ports.path] };
    if (arr(ports).length === 0) return { ports: "all", unknown };
    for (const p of arr(ports)) {
        const parts = unknownPaths(p);
        if (parts.length > 0) {
            unknown.push(...parts);
            continue;
        }
        const port = get(p, "port");
        if (port === undefined) return { ports: "all", unknown };
        const proto = String(get(p, "protocol") ?? "TCP").toUpperCase();
        const end = get(p, "endPort");
        out.push(end !== undefined ? `${String(port)}-${String(end)}/${proto}` : `${String(port)}/${proto}`);
    }
    return { ports: out, unknown };
}

/** Whether the policy selects the ingress controller's own pods (not every pod of its namespace: solver pods run there too). */
function targetsIngressController(cfg: PackConfig, ns: unknown, selector: unknown): Tri {
    const ic: EndpointSpec | undefined = cfg.endpoints[cfg.ingressControllerEndpoint];
    if (ic === undefined) return "no";
    if (isUnknownValue(ns) || unknownPaths(selector).length > 0) return "maybe";
    if (ic.namespace !== ns) return "no";
    const all = selector === undefined || (isObj(selector) && arr(selector.matchExpressions).length === 0 && Object.keys(isObj(selector.matchLabels) ? selector.matchLabels : {}).length === 0);
    return !all && selectorMatches(selector, ic.labels) ? "yes" : "no";
}

function allowedPorts(list: string[]): Set<string> {
    return new Set(list.map((p) => { const x = parsePortProto(p); return `${x.port}/${x.protocol}`; }));
}

interface Context {
    cfg: PackConfig;
    rep: Reporter;
    /** How the policy is named in messages (computed when there is something to say). */
    subject: () => Subject;
    publicIn: Set<string>;
    broadOut: Set<string>;
    /** Paths that decide whether the policy is excepted, when that is unknown. */
    exceptionUnknown: string[];
    id: string;
}

/** Reports a problem: a violation, or undecided when the policy may be excepted. */
function problem(c: Context, text: string, fix: string): void {
    if (c.exceptionUnknown.length > 0) c.rep.undecided(c.subject(), `${text}, unless it is in broadAllowExceptions (${c.exceptionUnknown.join(", ")} unknown)`);
    else c.rep.violation(c.subject(), text, fix);
}

function checkEntry(c: Context, dir: Direction, where: string, rule: unknown, cilium: boolean, ns: unknown, selector: unknown): void {
    if (isUnknownValue(rule)) {
        c.rep.undecided(c.subject(), `${where} (${rule.path}) is unknown until the update, so whether it is broad cannot be decided`);
        return;
    }
    const peers = cilium ? ciliumPeers(rule, dir) : k8sPeers(rule, dir);
    const ports = rulePorts(rule, cilium);
    const sources = dir === "ingress" ? "sources" : "destinations";
    if (peers.everywhere && ports.ports === "all") {
        problem(c, `${where} allows ${dir === "ingress" ? "all sources to all ports" : "all destinations on all ports"}`,
            `name the ${sources} (podSelector/namespaceSelector) and the ports in ${where}, or list "${c.id}" in broadAllowExceptions`);
        return;
    }
    const any = peers.everywhere ? "every address" : peers.broad;
    // The ports that would be a problem if the peers are broad.
    const target = dir === "ingress" ? targetsIngressController(c.cfg, ns, selector) : "no";
    const allowedSet = dir === "ingress" ? c.publicIn : c.broadOut;
    const badKnown = ports.ports === "all" ? ["all ports"] : ports.ports.filter((p) => !allowedSet.has(p));
    const portsText = ports.ports === "all" ? "all ports" : ports.ports.join(", ") || "ports unknown until the update";
    // Any port to anywhere into pods other than the ingress controller is a problem; into it, only the non-public ports.
    const knownProblem = dir === "ingress" ? target === "no" || badKnown.length > 0 : badKnown.length > 0;
    const mayProblem = knownProblem || ports.unknown.length > 0 || (dir === "ingress" && target === "maybe");
    if (any !== undefined) {
        if (knownProblem) {
            if (dir === "ingress") {
                problem(c, target === "yes" ? `${where} opens ${badKnown.join(", ")} to ${any}; only ${c.cfg.publicIngressPorts.join(", ")} may be public`
                    : target === "no" ? `${where} opens ${portsText} to ${any}, and the policy does not select the ingress controller's pods`
                        : `${where} opens ${badKnown.join(", ")} to ${any}, which no policy may make public`,
                `restrict the sources to the callers that need it (podSelector/namespaceSelector or a narrow ipBlock), or list "${c.id}" in broadAllowExceptions`);
            } else {
                problem(c, `${where} opens ${badKnown.join(", ")} to ${any}; only ${c.cfg.allowedBroadEgressPorts.join(", ") || "no ports"} may go to any address`,
                    `name the destination CIDRs (e.g. the database's subnet) instead of ${any}, or add the port to allowedBroadEgressPorts`);
            }
            return;
        }
        if (mayProblem) {
            const unknown = [...ports.unknown, ...(target === "maybe" ? ["the policy's namespace or podSelector"] : [])];
            c.rep.undecided(c.subject(), `${where} opens ${portsText} to ${any}; whether that is allowed depends on ${unknown.join(", ")} (unknown until the update)`);
        }
        return;
    }
    if (peers.unknown.length > 0 && mayProblem) {
        c.rep.undecided(c.subject(), `${where} may open ${portsText} to every address: ${peers.unknown.join(", ")} ${peers.unknown.length === 1 ? "is" : "are"} unknown until the update`);
    }
}

/** Checks one policy; reports through `rep`. */
function checkPolicy(np: { type: string; name: string; urn: string; props: Record<string, unknown> }, cfg: PackConfig, rep: Reporter, publicIn: Set<string>, broadOut: Set<string>): void {
    let named: Subject | undefined;
    const subject = (): Subject => (named ??= subjectOf(np));
    const cilium = np.type === T.ciliumNetworkPolicy;
    const o = withUnknowns(np.props) as Obj;
    const ns = isUnknownValue(get(o, "metadata")) ? get(o, "metadata") : get(o, "metadata", "namespace") ?? "default";
    const name = isUnknownValue(get(o, "metadata")) ? get(o, "metadata") : get(o, "metadata", "name") ?? np.name;
    const unknownId = [ns, name].filter(isUnknownValue).map((v) => v.path);
    const id = `${isUnknownValue(ns) ? "*" : String(ns)}/${isUnknownValue(name) ? "*" : String(name)}`;
    // An unknown namespace or name is excepted only by a pattern whose `*` covers it whatever it is:
    // NUL appears in no Kubernetes name, so only a wildcard can match it.
    const idForExceptions = `${isUnknownValue(ns) ? "\u0000" : String(ns)}/${isUnknownValue(name) ? "\u0000" : String(name)}`;
    if (matchesPattern(idForExceptions, cfg.broadAllowExceptions)) return;
    // Otherwise a pattern may or may not match it.
    const exceptionUnknown = cfg.broadAllowExceptions.length > 0 ? unknownId : [];
    const c: Context = { cfg, rep, subject, publicIn, broadOut, exceptionUnknown, id };
    const spec = get(o, "spec");
    if (isUnknownValue(spec)) {
        rep.undecided(subject(), `${spec.path} is unknown until the update, so whether its rules are broad cannot be decided`);
        return;
    }
    const selector = get(spec, cilium ? "endpointSelector" : "podSelector");
    for (const dir of ["ingress", "egress"] as Direction[]) {
        const rules = get(spec, dir);
        if (isUnknownValue(rules)) {
            rep.undecided(subject(), `${rules.path} is unknown until the update, so whether its ${dir} rules are broad cannot be decided`);
            continue;
        }
        arr(rules).forEach((rule, i) => checkEntry(c, dir, `${dir}[${i}]`, rule, cilium, ns, selector));
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
        checkPolicy(np, cfg, rep, publicIn, broadOut);
    }
});
