/**
 * The fast matrix: endpoint sets as bitsets. Label indexes (key -> value -> pods) answer selectors
 * with a few word-wise ANDs/ORs; each policy's selected pods and each rule's peer set are computed
 * once (and shared between identical selectors); then, per probe, every rule ORs its peer set into
 * the allow-row of each pod it applies to. A cell is two bit tests.
 */
import { peerMatches } from "./match";
import { matches } from "./selectors";
import type { Matrix, MatrixOptions, Model, Peer, PortSpec, Probe, Protocol, Selector } from "./types";

type Bits = Uint32Array;

interface LabelIndex {
    keys: Map<string, { any: Bits; byValue: Map<string, Bits> }>;
}

interface CompiledRule {
    peers: Bits;
    ports: PortSpec[] | "all";
}

interface CompiledPolicy {
    selected: number[];
    isolatesIngress: boolean;
    isolatesEgress: boolean;
    ingress: CompiledRule[];
    egress: CompiledRule[];
}

export class FastEvaluator {
    private readonly n: number;
    private readonly w: number;
    private readonly podMask: Bits;
    private readonly allMask: Bits;
    private readonly nsPods = new Map<string, Bits>();
    private readonly k8sIndex: LabelIndex;
    private readonly ciliumIndex: LabelIndex;
    private readonly selectorCache = new Map<string, Bits>();
    private readonly peerCache = new Map<string, Bits>();
    private readonly namedCache = new Map<string, Bits>();
    private readonly policies: CompiledPolicy[];
    private readonly ingressIsolated: Bits;
    private readonly egressIsolated: Bits;
    private readonly ids: string[];
    private readonly isPod: boolean[];
    private readonly indexOf = new Map<string, number>();

    constructor(private readonly model: Model) {
        const eps = model.endpoints;
        this.n = eps.length;
        this.w = (this.n + 31) >>> 5;
        this.podMask = this.bits();
        this.allMask = this.bits();
        this.ids = eps.map((e) => e.id);
        this.isPod = eps.map((e) => e.kind === "pod");
        eps.forEach((e, i) => {
            this.indexOf.set(e.id, i);
            set(this.allMask, i);
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
        this.policies = model.policies.map((p) => {
            const sel = this.selectorBits(p.podSelector, p.kind === "CiliumNetworkPolicy" ? "cilium" : "k8s");
            const selected = toList(and(sel, this.nsPods.get(p.namespace) ?? this.bits()));
            if (p.isolatesIngress) for (const i of selected) set(this.ingressIsolated, i);
            if (p.isolatesEgress) for (const i of selected) set(this.egressIsolated, i);
            const compile = (r: { peers: Peer[] | "all"; ports: PortSpec[] | "all" }): CompiledRule => ({ peers: this.rulePeers(r.peers), ports: r.ports });
            return { selected, isolatesIngress: p.isolatesIngress, isolatesEgress: p.isolatesEgress, ingress: p.ingress.map(compile), egress: p.egress.map(compile) };
        });
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

    private peerBits(peer: Peer): Bits {
        let key: string;
        switch (peer.kind) {
            case "k8s":
                key = `k8s|${peer.namespaceSelector ? `ns:${peer.namespaceSelector.key}` : `in:${peer.policyNamespace}`}|${peer.podSelector ? `pod:${peer.podSelector.key}` : "*"}`;
                break;
            case "cilium":
                key = `cil|${peer.namespace ?? "*"}|${peer.selector.key}`;
                break;
            default:
                key = `${peer.kind}|${peer.text}`;
        }
        const hit = this.peerCache.get(key);
        if (hit) return hit;
        let out: Bits;
        if (peer.kind === "k8s") {
            let nsBits: Bits;
            if (peer.namespaceSelector) {
                nsBits = this.bits();
                for (const ns of this.model.namespaces.values()) {
                    if (!matches(peer.namespaceSelector, ns.labels)) continue;
                    const b = this.nsPods.get(ns.name);
                    if (b) orInto(nsBits, b);
                }
            } else {
                nsBits = this.nsPods.get(peer.policyNamespace) ?? this.bits();
            }
            out = peer.podSelector ? and(nsBits, this.selectorBits(peer.podSelector, "k8s")) : nsBits.slice();
        } else if (peer.kind === "cilium") {
            const sel = this.selectorBits(peer.selector, "cilium");
            out = peer.namespace !== undefined ? and(sel, this.nsPods.get(peer.namespace) ?? this.bits()) : sel.slice();
        } else {
            out = this.bits();
            const eps = this.model.endpoints;
            for (let i = 0; i < this.n; i++) if (peerMatches(peer, eps[i], this.model.namespaces, this.model.dataplane).match) set(out, i);
        }
        this.peerCache.set(key, out);
        return out;
    }

    private rulePeers(peers: Peer[] | "all"): Bits {
        if (peers === "all") return this.allMask;
        if (peers.length === 1) return this.peerBits(peers[0]);
        const out = this.bits();
        for (const p of peers) orInto(out, this.peerBits(p));
        return out;
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

    /** Allow rows for one probe: ingress[d] = sources allowed into d; egress[s] = destinations s may reach. */
    rows(probe: Probe): { ingress: Bits; egress: Bits } {
        const w = this.w;
        const ingress = new Uint32Array(this.n * w);
        const egress = new Uint32Array(this.n * w);
        for (const p of this.policies) {
            if (p.selected.length === 0) continue;
            for (const r of p.ingress) {
                const c = classify(r.ports, probe);
                if (c === "none") continue;
                for (const d of p.selected) {
                    if (c !== "all" && !c.some((name) => this.namedBits(name, probe)[d >>> 5] & (1 << (d & 31)))) continue;
                    orAt(ingress, d * w, r.peers, w);
                }
            }
            for (const r of p.egress) {
                const c = classify(r.ports, probe);
                if (c === "none") continue;
                let mask = r.peers;
                if (c !== "all") {
                    const named = this.bits();
                    for (const name of c) orInto(named, this.namedBits(name, probe));
                    mask = and(r.peers, named);
                }
                for (const s of p.selected) orAt(egress, s * w, mask, w);
            }
        }
        return { ingress, egress };
    }

    allowed(ingress: Bits, egress: Bits, s: number, d: number): boolean {
        if (s === d && this.isPod[s]) return true;
        const w = this.w;
        if (this.egressIsolated[s >>> 5] & (1 << (s & 31)) && !(egress[s * w + (d >>> 5)] & (1 << (d & 31)))) return false;
        if (this.ingressIsolated[d >>> 5] & (1 << (d & 31)) && !(ingress[d * w + (s >>> 5)] & (1 << (s & 31)))) return false;
        return true;
    }

    /** Every cell of one probe's matrix, evaluated: bit (i * to.length + j) = from[i] may reach to[j]. */
    cells(probe: Probe, from: number[], to: number[]): Uint32Array {
        const { ingress, egress } = this.rows(probe);
        const cols = to.length;
        const out = new Uint32Array(Math.ceil((from.length * cols) / 32));
        for (let i = 0; i < from.length; i++) {
            const s = from[i];
            const base = i * cols;
            for (let j = 0; j < cols; j++) {
                if (this.allowed(ingress, egress, s, to[j])) {
                    const b = base + j;
                    out[b >>> 5] |= 1 << (b & 31);
                }
            }
        }
        return out;
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
            const bits = this.cells(probe, from, to);
            const m: Record<string, Record<string, boolean>> = {};
            for (let i = 0; i < from.length; i++) {
                const row: Record<string, boolean> = {};
                const base = i * cols;
                for (let j = 0; j < cols; j++) {
                    const b = base + j;
                    row[keys[j]] = (bits[b >>> 5] & (1 << (b & 31))) !== 0;
                }
                m[this.ids[from[i]]] = row;
            }
            out[`${probe.port}/${probe.protocol}`] = m;
        }
        return out;
    }
}

/** "all": some entry admits the probe regardless of destination; a list: only these named ports could; "none". */
function classify(ports: PortSpec[] | "all", probe: Probe): "all" | "none" | string[] {
    if (ports === "all") return "all";
    let named: string[] | undefined;
    for (const s of ports) {
        if (s.protocol !== undefined && s.protocol !== probe.protocol) continue;
        if (s.name !== undefined) {
            (named ??= []).push(s.name);
            continue;
        }
        if (s.port === undefined) return "all";
        if (s.endPort !== undefined ? probe.port >= s.port && probe.port <= s.endPort : probe.port === s.port) return "all";
    }
    return named ?? "none";
}

function set(b: Bits, i: number): void {
    b[i >>> 5] |= 1 << (i & 31);
}
function and(a: Bits, b: Bits): Bits {
    const out = new Uint32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
    return out;
}
function andInto(a: Bits, b: Bits): void {
    for (let i = 0; i < a.length; i++) a[i] &= b[i];
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

export type { Protocol };
