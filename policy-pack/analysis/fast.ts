/**
 * The fast matrix: endpoint sets as bitsets. Label indexes (key -> value -> pods) answer selectors
 * with a few word-wise ANDs/ORs; each policy's selected pods and each rule's peer set are computed
 * once (and shared between identical peers); then, per probe, every rule ORs its peer set into the
 * allow-row of each pod it applies to. A cell is a few bit tests.
 *
 * Three-valued like the reference evaluator: "sure" sets (certainly selected, certainly matching)
 * and "maybe" sets (may be, given what cannot be evaluated). A cell is allowed when it is certainly
 * allowed, denied when it cannot possibly be allowed, inconclusive otherwise. A model without
 * uncertainty skips the "possible" half.
 */
import { identityOf, peerMatches, Role } from "./match";
import { namespaceMatches } from "./selectors";
import type { Cells, Matrix, MatrixOptions, Model, Peer, PortSpec, Probe, Selector, Status } from "./types";

type Bits = Uint32Array;

interface LabelIndex {
    keys: Map<string, { any: Bits; byValue: Map<string, Bits> }>;
}

/** An endpoint set: `sure` members certainly belong, `maybe` members may (disjoint from sure). */
interface TriBits {
    sure: Bits;
    maybe: Bits;
}

interface CompiledRule {
    peers: TriBits;
    ports: PortSpec[] | "all";
    uncertain: boolean;
}

interface CompiledPolicy {
    selected: number[];
    /** Pods the policy may select. */
    selectedMaybe: number[];
    ingress: CompiledRule[];
    egress: CompiledRule[];
}

interface Rows {
    ingress: Bits;
    egress: Bits;
    ingressPossible: Bits;
    egressPossible: Bits;
}

export class FastEvaluator {
    private readonly n: number;
    private readonly w: number;
    private readonly podMask: Bits;
    private readonly allMask: Bits;
    private readonly empty: Bits;
    private readonly nsPods = new Map<string, Bits>();
    private readonly k8sIndex: LabelIndex;
    private readonly ciliumIndex: LabelIndex;
    private readonly selectorCache = new Map<string, Bits>();
    private readonly peerCache = new Map<string, TriBits>();
    private readonly namedCache = new Map<string, Bits>();
    private readonly policies: CompiledPolicy[];
    private readonly uncertain: boolean;
    /** Certainly / possibly isolated, per direction. */
    private readonly ingressIsolated: Bits;
    private readonly egressIsolated: Bits;
    private readonly ingressMaybeIsolated: Bits;
    private readonly egressMaybeIsolated: Bits;
    /** Pods an unmodelled deny rule may apply to, per direction. */
    private readonly ingressMayDeny: Bits;
    private readonly egressMayDeny: Bits;
    /** Endpoints whose traffic a host policy may restrict (the node, and the API server as a source). */
    private readonly hostTouched: Bits;
    private readonly hostSources: Bits;
    private readonly ids: string[];
    private readonly isPod: boolean[];
    private readonly indexOf = new Map<string, number>();

    constructor(private readonly model: Model) {
        const eps = model.endpoints;
        this.n = eps.length;
        this.w = (this.n + 31) >>> 5;
        this.uncertain = model.uncertain || model.hostPolicy !== undefined;
        this.podMask = this.bits();
        this.allMask = this.bits();
        this.empty = this.bits();
        this.ids = eps.map((e) => e.id);
        this.isPod = eps.map((e) => e.kind === "pod");
        this.hostTouched = this.bits();
        this.hostSources = this.bits();
        eps.forEach((e, i) => {
            this.indexOf.set(e.id, i);
            set(this.allMask, i);
            if (model.hostPolicy !== undefined) {
                if (e.kind === "node") set(this.hostTouched, i);
                if (identityOf(e, "source") === "node") set(this.hostSources, i);
            }
            if (e.kind !== "pod" || e.namespace === undefined) return;
            set(this.podMask, i);
            let b = this.nsPods.get(e.namespace);
            if (!b) this.nsPods.set(e.namespace, (b = this.bits()));
            set(b, i);
        });
        this.k8sIndex = this.index((i) => eps[i].labels);
        this.ciliumIndex = this.index((i) => eps[i].ciliumLabels);
        this.ingressIsolated = this.bits();
        this.egressIsolated = this.bits();
        this.ingressMaybeIsolated = this.bits();
        this.egressMaybeIsolated = this.bits();
        this.ingressMayDeny = this.bits();
        this.egressMayDeny = this.bits();
        this.policies = model.policies.map((p) => {
            const view = p.kind === "CiliumNetworkPolicy" ? "cilium" : "k8s";
            const inNs = p.namespace !== undefined ? this.nsPods.get(p.namespace) ?? this.bits() : this.podMask;
            const matching = p.podSelector ? and(this.selectorBits(p.podSelector, view), inNs) : inNs;
            // An unknown namespace or selector: the policy may select these pods, not certainly.
            const certain = p.podSelector !== undefined && p.namespace !== undefined;
            const sure = certain ? toList(matching) : [];
            const maybe = certain ? [] : toList(matching);
            for (const [dir, iso, isoMaybe, deny] of [
                ["ingress", this.ingressIsolated, this.ingressMaybeIsolated, this.ingressMayDeny],
                ["egress", this.egressIsolated, this.egressMaybeIsolated, this.egressMayDeny],
            ] as const) {
                const t = dir === "ingress" ? p.isolatesIngress : p.isolatesEgress;
                if (t === "yes") for (const i of sure) set(iso, i);
                else if (t === "maybe") for (const i of sure) set(isoMaybe, i);
                if (t !== "no") for (const i of maybe) set(isoMaybe, i);
                if (p.mayDeny[dir] !== undefined) {
                    for (const i of sure) set(deny, i);
                    for (const i of maybe) set(deny, i);
                }
            }
            const compile = (r: { peers: Peer[] | "all"; ports: PortSpec[] | "all"; uncertain?: string }, role: Role): CompiledRule =>
                ({ peers: this.rulePeers(r.peers, role), ports: r.ports, uncertain: r.uncertain !== undefined });
            return { selected: sure, selectedMaybe: maybe, ingress: p.ingress.map((r) => compile(r, "source")), egress: p.egress.map((r) => compile(r, "destination")) };
        });
        // A pod certainly isolated by one policy is not "maybe isolated" because of another.
        andNotInto(this.ingressMaybeIsolated, this.ingressIsolated);
        andNotInto(this.egressMaybeIsolated, this.egressIsolated);
    }

    private bits(): Bits {
        return new Uint32Array(this.w);
    }

    private index(labelsOf: (i: number) => Record<string, string>): LabelIndex {
        const keys: LabelIndex["keys"] = new Map();
        for (let i = 0; i < this.n; i++) {
            if (!this.isPod[i]) continue;
            for (const [k, v] of Object.entries(labelsOf(i))) {
                let e = keys.get(k);
                if (!e) keys.set(k, (e = { any: this.bits(), byValue: new Map() }));
                set(e.any, i);
                let b = e.byValue.get(v);
                if (!b) e.byValue.set(v, (b = this.bits()));
                set(b, i);
            }
        }
        return { keys };
    }

    /** Pods (of any namespace) whose labels match the selector. */
    private selectorBits(sel: Selector, view: "k8s" | "cilium"): Bits {
        const cacheKey = `${view}|${sel.key}`;
        const hit = this.selectorCache.get(cacheKey);
        if (hit) return hit;
        const index = view === "k8s" ? this.k8sIndex : this.ciliumIndex;
        const out = this.podMask.slice();
        for (const r of sel.requirements) {
            const e = index.keys.get(r.key);
            let b: Bits;
            switch (r.op) {
                case "Exists":
                    b = e ? e.any : this.bits();
                    break;
                case "DoesNotExist":
                    b = e ? not(e.any) : this.allMask;
                    break;
                case "In":
                case "NotIn": {
                    b = this.bits();
                    if (e) for (const v of r.values) { const vb = e.byValue.get(v); if (vb) orInto(b, vb); }
                    if (r.op === "NotIn") b = not(b);
                    break;
                }
            }
            andInto(out, b);
        }
        this.selectorCache.set(cacheKey, out);
        return out;
    }

    private peerBits(peer: Peer, role: Role): TriBits {
        let key: string;
        switch (peer.kind) {
            case "k8s":
                key = `k8s|${peer.namespaceSelector ? `ns:${peer.namespaceSelector.key}` : `in:${peer.policyNamespace}`}|${peer.podSelector ? `pod:${peer.podSelector.key}` : "*"}`;
                break;
            case "cilium":
                key = `cil|${peer.namespace ?? "*"}|${peer.selector.key}`;
                break;
            case "opaque":
                key = `opaque|${peer.scope}|${peer.namespace ?? "*"}|${role}`;
                break;
            default:
                key = `${peer.kind}|${peer.text}|${role}`;
        }
        const hit = this.peerCache.get(key);
        if (hit) return hit;
        let out: TriBits;
        if (peer.kind === "k8s") {
            const nsSure = this.bits();
            const nsMaybe = this.bits();
            if (peer.namespaceSelector) {
                for (const ns of this.model.namespaces.values()) {
                    const b = this.nsPods.get(ns.name);
                    if (!b) continue;
                    const m = namespaceMatches(peer.namespaceSelector, ns);
                    if (m === "yes") orInto(nsSure, b);
                    else if (m === "maybe") orInto(nsMaybe, b);
                }
            } else {
                const b = this.nsPods.get(peer.policyNamespace);
                if (b) orInto(nsSure, b);
            }
            const pods = peer.podSelector ? this.selectorBits(peer.podSelector, "k8s") : this.podMask;
            out = { sure: and(nsSure, pods), maybe: and(nsMaybe, pods) };
        } else if (peer.kind === "cilium") {
            const sel = this.selectorBits(peer.selector, "cilium");
            out = { sure: peer.namespace !== undefined ? and(sel, this.nsPods.get(peer.namespace) ?? this.bits()) : sel.slice(), maybe: this.empty };
        } else {
            const sure = this.bits();
            const maybe = this.bits();
            const eps = this.model.endpoints;
            for (let i = 0; i < this.n; i++) {
                const m = peerMatches(peer, eps[i], role, this.model.namespaces, this.model.dataplane).match;
                if (m === "yes") set(sure, i);
                else if (m === "maybe") set(maybe, i);
            }
            out = { sure, maybe };
        }
        this.peerCache.set(key, out);
        return out;
    }

    private rulePeers(peers: Peer[] | "all", role: Role): TriBits {
        if (peers === "all") return { sure: this.allMask, maybe: this.empty };
        if (peers.length === 1) return this.peerBits(peers[0], role);
        const sure = this.bits();
        const maybe = this.bits();
        for (const p of peers) {
            const b = this.peerBits(p, role);
            orInto(sure, b.sure);
            orInto(maybe, b.maybe);
        }
        andNotInto(maybe, sure);
        return { sure, maybe };
    }

    /** Pods with a container port named `name` that is `port`/`protocol`. */
    private namedBits(name: string, probe: Probe): Bits {
        const key = `${name}|${probe.port}/${probe.protocol}`;
        const hit = this.namedCache.get(key);
        if (hit) return hit;
        const out = this.bits();
        this.model.endpoints.forEach((e, i) => {
            if (e.kind === "pod" && e.ports.some((p) => p.name === name && p.port === probe.port && p.protocol === probe.protocol)) set(out, i);
        });
        this.namedCache.set(key, out);
        return out;
    }

    private resolve(ids: string[] | undefined): number[] {
        if (!ids) return this.ids.map((_, i) => i);
        return ids.map((id) => {
            const i = this.indexOf.get(id);
            if (i === undefined) throw new Error(`unknown endpoint ${JSON.stringify(id)}`);
            return i;
        });
    }

    /** Destinations a port classification admits: null = every destination, else the pods with one of the named ports. */
    private portMask(names: string[] | "all", probe: Probe): Bits | null {
        if (names === "all") return null;
        const out = this.bits();
        for (const name of names) orInto(out, this.namedBits(name, probe));
        return out;
    }

    /**
     * Allow rows for one probe: ingress[d] = sources certainly allowed into d; egress[s] = destinations
     * s may certainly reach; the *Possible rows add what may be allowed.
     */
    rows(probe: Probe): Rows {
        const w = this.w;
        const ingress = new Uint32Array(this.n * w);
        const egress = new Uint32Array(this.n * w);
        const ingressPossible = this.uncertain ? new Uint32Array(this.n * w) : ingress;
        const egressPossible = this.uncertain ? new Uint32Array(this.n * w) : egress;
        const union = (r: CompiledRule): Bits => (r.peers.maybe === this.empty ? r.peers.sure : or(r.peers.sure, r.peers.maybe));
        for (const p of this.policies) {
            if (p.selected.length === 0 && p.selectedMaybe.length === 0) continue;
            for (const r of p.ingress) {
                const c = classify(r.ports, probe);
                if (c.sure === "none" && !c.maybeAll) continue;
                const sureNames = c.sure === "none" ? [] : c.sure;
                const named = sureNames === "all" ? null : this.portMask(sureNames, probe);
                const possible = this.uncertain ? union(r) : r.peers.sure;
                for (const d of p.selected) {
                    const portOk = named === null || has(named, d);
                    if (portOk && !r.uncertain && c.sure !== "none") orAt(ingress, d * w, r.peers.sure, w);
                    if (this.uncertain && (portOk || c.maybeAll)) orAt(ingressPossible, d * w, possible, w);
                }
                for (const d of p.selectedMaybe) {
                    if (named === null || has(named, d) || c.maybeAll) orAt(ingressPossible, d * w, possible, w);
                }
            }
            for (const r of p.egress) {
                const c = classify(r.ports, probe);
                if (c.sure === "none" && !c.maybeAll) continue;
                const sureNames = c.sure === "none" ? [] : c.sure;
                const named = sureNames === "all" ? null : this.portMask(sureNames, probe);
                const sureMask = c.sure === "none" || r.uncertain ? null : named === null ? r.peers.sure : and(r.peers.sure, named);
                let possibleMask: Bits | null = null;
                if (this.uncertain) {
                    const u = union(r);
                    possibleMask = c.maybeAll || named === null ? u : and(u, named);
                }
                for (const s of p.selected) {
                    if (sureMask) orAt(egress, s * w, sureMask, w);
                    if (possibleMask) orAt(egressPossible, s * w, possibleMask, w);
                }
                if (possibleMask) for (const s of p.selectedMaybe) orAt(egressPossible, s * w, possibleMask, w);
            }
        }
        return { ingress, egress, ingressPossible, egressPossible };
    }

    /** 2 = allowed, 1 = inconclusive, 0 = denied. */
    private cell(rows: Rows, s: number, d: number): 0 | 1 | 2 {
        if (s === d && this.isPod[s]) return 2;
        const w = this.w;
        let sure = true;
        let possible = true;
        if (this.isPod[s]) {
            const allowed = (rows.egress[s * w + (d >>> 5)] & (1 << (d & 31))) !== 0;
            if (has(this.egressIsolated, s)) {
                if (!allowed) {
                    sure = false;
                    possible = (rows.egressPossible[s * w + (d >>> 5)] & (1 << (d & 31))) !== 0;
                }
            } else if (has(this.egressMaybeIsolated, s) && !allowed) sure = false;
            if (has(this.egressMayDeny, s)) sure = false;
        }
        if (this.isPod[d] && possible) {
            const allowed = (rows.ingress[d * w + (s >>> 5)] & (1 << (s & 31))) !== 0;
            if (has(this.ingressIsolated, d)) {
                if (!allowed) {
                    sure = false;
                    possible = (rows.ingressPossible[d * w + (s >>> 5)] & (1 << (s & 31))) !== 0;
                }
            } else if (has(this.ingressMaybeIsolated, d) && !allowed) sure = false;
            if (has(this.ingressMayDeny, d)) sure = false;
        }
        if (!possible) return 0;
        if (sure && (has(this.hostSources, s) || has(this.hostTouched, d))) sure = false;
        return sure ? 2 : 1;
    }

    /** Every cell of one probe's matrix, evaluated: bit (i * to.length + j) = from[i] certainly (possibly) reaches to[j]. */
    cells(probe: Probe, fromIds: string[], toIds: string[]): Cells {
        return this.cellsOf(probe, this.resolve(fromIds), this.resolve(toIds));
    }

    private cellsOf(probe: Probe, from: number[], to: number[]): Cells {
        const rows = this.rows(probe);
        const cols = to.length;
        const size = Math.ceil((from.length * cols) / 32);
        const allowed = new Uint32Array(size);
        const possible = this.uncertain ? new Uint32Array(size) : allowed;
        if (!this.uncertain) {
            // Nothing uncertain: a cell is two bit tests (the same answer cell() gives, without its "maybe" half).
            const w = this.w;
            for (let i = 0; i < from.length; i++) {
                const s = from[i];
                const base = i * cols;
                const sPod = this.isPod[s];
                const sIsolated = sPod && has(this.egressIsolated, s);
                for (let j = 0; j < cols; j++) {
                    const d = to[j];
                    if (!(s === d && sPod)) {
                        if (sIsolated && !(rows.egress[s * w + (d >>> 5)] & (1 << (d & 31)))) continue;
                        if (this.isPod[d] && has(this.ingressIsolated, d) && !(rows.ingress[d * w + (s >>> 5)] & (1 << (s & 31)))) continue;
                    }
                    const b = base + j;
                    allowed[b >>> 5] |= 1 << (b & 31);
                }
            }
            return { allowed, possible };
        }
        for (let i = 0; i < from.length; i++) {
            const s = from[i];
            const base = i * cols;
            for (let j = 0; j < cols; j++) {
                const c = this.cell(rows, s, to[j]);
                if (c === 0) continue;
                const b = base + j;
                if (c === 2) allowed[b >>> 5] |= 1 << (b & 31);
                if (this.uncertain) possible[b >>> 5] |= 1 << (b & 31);
            }
        }
        return { allowed, possible };
    }

    /** The matrix as plain objects, built from the evaluated cells of each probe. */
    matrix(probes: Probe[], options: MatrixOptions = {}): Matrix {
        const from = this.resolve(options.from);
        const to = this.resolve(options.to);
        const out: Matrix = {};
        // Internalized key strings make the many keyed stores cheaper.
        const keys = to.map((d) => Object.keys({ [this.ids[d]]: 0 })[0]);
        const cols = to.length;
        for (const probe of probes) {
            const { allowed, possible } = this.cellsOf(probe, from, to);
            const m: Record<string, Record<string, Status>> = {};
            for (let i = 0; i < from.length; i++) {
                const row: Record<string, Status> = {};
                const base = i * cols;
                for (let j = 0; j < cols; j++) {
                    const b = base + j;
                    const bit = 1 << (b & 31);
                    row[keys[j]] = (allowed[b >>> 5] & bit) !== 0 ? "allowed" : (possible[b >>> 5] & bit) !== 0 ? "inconclusive" : "denied";
                }
                m[this.ids[from[i]]] = row;
            }
            out[`${probe.port}/${probe.protocol}`] = m;
        }
        return out;
    }
}

/**
 * Which destinations the rule's ports certainly admit ("all", only these named ports, or none), and
 * whether an uncertain port entry may admit any destination.
 */
function classify(ports: PortSpec[] | "all", probe: Probe): { sure: "all" | "none" | string[]; maybeAll: boolean } {
    if (ports === "all") return { sure: "all", maybeAll: false };
    let named: string[] | undefined;
    let maybeAll = false;
    for (const s of ports) {
        if (s.protocol !== undefined && s.protocol !== probe.protocol) continue;
        if (s.uncertain !== undefined) {
            maybeAll = true;
            continue;
        }
        if (s.name !== undefined) {
            (named ??= []).push(s.name);
            continue;
        }
        if (s.port === undefined) return { sure: "all", maybeAll };
        if (s.endPort !== undefined ? probe.port >= s.port && probe.port <= s.endPort : probe.port === s.port) return { sure: "all", maybeAll };
    }
    return { sure: named ?? "none", maybeAll };
}

function set(b: Bits, i: number): void {
    b[i >>> 5] |= 1 << (i & 31);
}
function has(b: Bits, i: number): boolean {
    return (b[i >>> 5] & (1 << (i & 31))) !== 0;
}
function and(a: Bits, b: Bits): Bits {
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
    return out;
}
function or(a: Bits, b: Bits): Bits {
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i] | b[i];
    return out;
}
function andInto(a: Bits, b: Bits): void {
    for (let i = 0; i < a.length; i++) a[i] &= b[i];
}
function andNotInto(a: Bits, b: Bits): void {
    for (let i = 0; i < a.length; i++) a[i] &= ~b[i];
}
function orInto(a: Bits, b: Bits): void {
    for (let i = 0; i < a.length; i++) a[i] |= b[i];
}
function orAt(rows: Uint32Array, offset: number, b: Bits, w: number): void {
    for (let i = 0; i < w; i++) rows[offset + i] |= b[i];
}
function not(a: Bits): Bits {
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = ~a[i];
    return out;
}
function toList(b: Bits): number[] {
    const out: number[] = [];
    for (let wi = 0; wi < b.length; wi++) {
        let word = b[wi];
        while (word !== 0) {
            const t = word & -word;
            out.push(wi * 32 + (31 - Math.clz32(t)));
            word ^= t;
        }
    }
    return out;
}
