/**
 * The straightforward evaluator: for one (source, destination, probe), walk every policy, test its
 * selector against the pod, and every rule's peers and ports against the other end. No indexing.
 * It is the definition the fast matrix (fast.ts) is checked against, and it writes the explanations.
 *
 * Three-valued: each side is certainly allowed, certainly denied, or inconclusive. A side is
 * certainly allowed when no policy may isolate it or a rule certainly allows it (and no unmodelled
 * deny may apply); certainly denied when a policy certainly isolates it and no rule may allow it.
 */
import { and3, identityOf, or3, peerMatches, policySelects, portMatches, Role } from "./match";
import type { Matrix, Model, ModelEndpoint, Probe, Rule, Side, Status, Tri, Verdict } from "./types";

export const probeKey = (p: Probe): string => `${p.port}/${p.protocol}`;

interface SideResult extends Side {
    /** Why it is inconclusive (empty otherwise). */
    reasons: string[];
}

interface RuleMatch {
    match: Tri;
    /** Why it may match (only for "maybe"). */
    reasons?: string[];
    peerText?: string;
    portText?: string;
}

const NO_MATCH: RuleMatch = { match: "no" };

function ruleMatch(model: Model, rule: Rule, peer: ModelEndpoint, role: Role, probe: Probe, dest: ModelEndpoint, explain: boolean, notes: string[]): RuleMatch {
    let reasons: string[] | undefined;
    let peers: Tri = "no";
    let peerText: string | undefined;
    if (rule.peers === "all") {
        peers = "yes";
        if (explain) peerText = `every ${role} (no ${role === "source" ? "from" : "to"} peers)`;
    } else {
        for (const p of rule.peers) {
            const m = peerMatches(p, peer, role, model.namespaces, model.dataplane);
            if (m.match === "yes") {
                peers = "yes";
                peerText = p.text;
                break;
            }
            if (m.match === "maybe") {
                peers = "maybe";
                peerText ??= p.text;
                if (m.reason) (reasons ??= []).push(m.reason);
            }
            if (explain && m.note && !notes.includes(`${rule.id}: ${m.note}`)) notes.push(`${rule.id}: ${m.note}`);
        }
    }
    if (peers === "no") return NO_MATCH;
    let ports: Tri = "no";
    let portText: string | undefined;
    if (rule.ports === "all") {
        ports = "yes";
        portText = "all ports";
    } else {
        for (const s of rule.ports) {
            const m = portMatches(s, probe, dest);
            if (m === "no") continue;
            ports = or3(ports, m);
            if (m === "maybe" && s.uncertain) (reasons ??= []).push(s.uncertain);
            if (m === "yes" || portText === undefined) portText = s.text;
            if (m === "yes") break;
        }
        if (ports === "no" && explain) {
            const named = rule.ports.filter((s) => s.name !== undefined);
            if (named.length > 0) notes.push(`${rule.id}: peer matches but ${probeKey(probe)} is not among its ports (${rule.ports.map((s) => s.text).join(", ")}); named ports resolve against ${dest.id}'s container ports (${dest.ports.map((p) => `${p.name ?? "unnamed"}=${p.port}/${p.protocol}`).join(", ") || "none"})`);
            else notes.push(`${rule.id}: peer matches but ${probeKey(probe)} is not among its ports (${rule.ports.map((s) => s.text).join(", ")})`);
        }
    }
    let match = and3(peers, ports);
    if (match === "no") return NO_MATCH;
    if (rule.uncertain) {
        match = "maybe";
        (reasons ??= []).push(rule.uncertain);
    }
    return match === "maybe" ? { match, reasons: reasons ?? [], peerText, portText } : { match, peerText, portText };
}

function side(model: Model, subject: ModelEndpoint, peer: ModelEndpoint, probe: Probe, dir: "ingress" | "egress", explain: boolean, notes: string[]): SideResult {
    const isolatedBy: string[] = [];
    let isolatedMaybe = false;
    const isolationReasons: string[] = [];
    let allowedBy: string | undefined;
    let allowMaybe = false;
    const allowReasons: string[] = [];
    let denied = false;
    const denyReasons: string[] = [];
    const role: Role = dir === "ingress" ? "source" : "destination";
    const dest = dir === "egress" ? peer : subject;
    for (const policy of model.policies) {
        const selects = policySelects(policy, subject);
        if (selects === "no") continue;
        const isolates = and3(selects, dir === "ingress" ? policy.isolatesIngress : policy.isolatesEgress);
        if (isolates === "yes") isolatedBy.push(policy.id);
        else if (isolates === "maybe") {
            isolatedMaybe = true;
            const why = selects === "maybe" ? policy.selectionUncertain : policy.isolationUncertain;
            if (why) isolationReasons.push(why);
        }
        const deny = policy.mayDeny[dir];
        if (deny) {
            denied = true;
            denyReasons.push(deny);
        }
        if (allowedBy !== undefined && !explain) continue;
        for (const rule of dir === "ingress" ? policy.ingress : policy.egress) {
            const r = ruleMatch(model, rule, peer, role, probe, dest, explain, notes);
            const m = and3(selects, r.match);
            if (m === "yes" && allowedBy === undefined) {
                allowedBy = rule.id;
                if (explain) notes.push(`${rule.id} allows it: peer ${r.peerText ?? ""}, port ${r.portText ?? ""}.`);
            } else if (m === "maybe") {
                allowMaybe = true;
                if (r.reasons) allowReasons.push(...r.reasons);
                if (selects === "maybe" && policy.selectionUncertain) allowReasons.push(policy.selectionUncertain);
            }
            if (allowedBy !== undefined && !explain) break;
        }
    }
    const isolatedSurely = isolatedBy.length > 0;
    const isolatedPossibly = isolatedSurely || isolatedMaybe;
    const allowedSurely = (!isolatedPossibly || allowedBy !== undefined) && !denied;
    const allowedPossibly = !isolatedSurely || allowedBy !== undefined || allowMaybe;
    const status: Status = allowedSurely ? "allowed" : allowedPossibly ? "inconclusive" : "denied";
    if (status !== "inconclusive") return isolatedSurely && allowedBy !== undefined ? { status, isolatedBy, allowedBy, reasons: NO_REASONS } : { status, isolatedBy, reasons: NO_REASONS };
    const reasons: string[] = [...denyReasons];
    if (allowedBy === undefined) {
        if (!isolatedSurely) reasons.push(...isolationReasons);
        reasons.push(...allowReasons);
    }
    return { status, isolatedBy, ...(isolatedSurely && allowedBy !== undefined ? { allowedBy } : {}), reasons: [...new Set(reasons)] };
}

const NO_REASONS: string[] = [];

/** The status of one connection, without an explanation (the matrix's per-pair definition). */
export function pairStatus(model: Model, from: ModelEndpoint, to: ModelEndpoint, probe: Probe): Status {
    if (from === to && from.kind === "pod") return "allowed";
    const touchesNode = model.hostPolicy !== undefined && (identityOf(from, "source") === "node" || to.kind === "node");
    if (from.kind !== "pod" && to.kind !== "pod") return touchesNode ? "inconclusive" : "allowed";
    const egress = from.kind === "pod" ? side(model, from, to, probe, "egress", false, NO_REASONS).status : "allowed";
    if (egress === "denied") return "denied";
    const ingress = to.kind === "pod" ? side(model, to, from, probe, "ingress", false, NO_REASONS).status : "allowed";
    const status = combine(egress, ingress);
    return status === "allowed" && touchesNode ? "inconclusive" : status;
}

const NONE: SideResult = { status: "allowed", isolatedBy: [], reasons: [] };

function combine(a: Status, b: Status): Status {
    return a === "denied" || b === "denied" ? "denied" : a === "inconclusive" || b === "inconclusive" ? "inconclusive" : "allowed";
}

/** Evaluates one connection; with `explain`, also writes the explanation sentences. */
export function evaluatePair(model: Model, from: ModelEndpoint, to: ModelEndpoint, probe: Probe, explain = true): Verdict {
    const explanation: string[] = [];
    const base = { from: from.id, to: to.id, probe };
    const plain = (s: SideResult): Side => ({ status: s.status, isolatedBy: s.isolatedBy, ...(s.allowedBy !== undefined ? { allowedBy: s.allowedBy } : {}) });
    if (from === to && from.kind === "pod") {
        if (explain) explanation.push(`${from.id} to itself: always allowed (a pod cannot block access to itself; see the analyzer README).`);
        return { ...base, status: "allowed", egress: plain(NONE), ingress: plain(NONE), explanation, inconclusive: [] };
    }
    const touchesNode = identityOf(from, "source") === "node" || to.kind === "node";
    if (from.kind !== "pod" && to.kind !== "pod") {
        if (model.hostPolicy && touchesNode) {
            if (explain) explanation.push(`Inconclusive: ${model.hostPolicy}.`);
            return { ...base, status: "inconclusive", egress: plain(NONE), ingress: plain(NONE), explanation, inconclusive: [model.hostPolicy] };
        }
        if (explain) explanation.push(`Neither ${from.id} nor ${to.id} is a pod: no policy governs this connection, so nothing blocks it.`);
        return { ...base, status: "allowed", egress: plain(NONE), ingress: plain(NONE), explanation, inconclusive: [] };
    }
    const egressNotes: string[] = [];
    const ingressNotes: string[] = [];
    const egress = from.kind === "pod" ? side(model, from, to, probe, "egress", explain, egressNotes) : NONE;
    const ingress = to.kind === "pod" ? side(model, to, from, probe, "ingress", explain, ingressNotes) : NONE;
    let status = combine(egress.status, ingress.status);
    const reasons = [...egress.reasons, ...ingress.reasons];
    if (status === "allowed" && model.hostPolicy && touchesNode) {
        status = "inconclusive";
        reasons.push(model.hostPolicy);
    }
    const inconclusive = status === "inconclusive" ? [...new Set(reasons)] : [];
    if (explain) {
        const write = (dir: "egress" | "ingress", ep: ModelEndpoint, s: SideResult, notes: string[]): void => {
            const Dir = dir === "egress" ? "Egress" : "Ingress";
            if (ep.kind !== "pod") {
                explanation.push(`${Dir}: ${ep.id} is not a pod (${ep.kind}); no ${dir} policy applies to it.`);
                return;
            }
            const allowing = notes.filter((n) => n.includes(" allows it: "));
            const others = notes.filter((n) => !n.includes(" allows it: "));
            if (s.isolatedBy.length === 0 && s.status === "allowed") {
                explanation.push(`${Dir}: ${ep.id} is not isolated for ${dir} (no policy selecting it has ${Dir} in effect), so all ${dir} is allowed.`);
                return;
            }
            if (s.isolatedBy.length > 0) explanation.push(`${Dir}: ${ep.id} is isolated for ${dir} by ${s.isolatedBy.join(", ")}.`);
            if (s.status === "allowed") explanation.push(...allowing);
            else if (s.status === "denied") {
                explanation.push(`No ${dir} rule of the policies selecting ${ep.id} allows ${dir === "egress" ? to.id : from.id} on ${probeKey(probe)}.`);
                explanation.push(...others);
            } else {
                explanation.push(`${Dir} of ${ep.id} cannot be decided: ${s.reasons.join("; ")}.`);
                explanation.push(...allowing, ...others);
            }
        };
        write("egress", from, egress, egressNotes);
        write("ingress", to, ingress, ingressNotes);
        const what = `${from.id} -> ${to.id} on ${probeKey(probe)}`;
        if (status === "allowed") explanation.push(`Allowed: ${what}.`);
        else if (status === "denied") {
            const eg = egress.status === "denied";
            const ing = ingress.status === "denied";
            explanation.push(`Denied: ${what} (${eg ? "egress" : ""}${eg && ing ? " and " : ""}${ing ? "ingress" : ""} not allowed).`);
        } else explanation.push(`Inconclusive: ${what} depends on what the analyzer cannot evaluate: ${inconclusive.join("; ")}.`);
    }
    return { ...base, status, egress: plain(egress), ingress: plain(ingress), explanation, inconclusive };
}

/** The matrix by evaluating every pair on its own (quadratic in pairs times policies; for checking and benchmarks). */
export function referenceMatrix(model: Model, probes: Probe[], from: ModelEndpoint[] = model.endpoints, to: ModelEndpoint[] = model.endpoints): Matrix {
    const out: Matrix = {};
    for (const probe of probes) {
        const m: Record<string, Record<string, Status>> = {};
        for (const s of from) {
            const row: Record<string, Status> = {};
            for (const d of to) row[d.id] = pairStatus(model, s, d, probe);
            m[s.id] = row;
        }
        out[probeKey(probe)] = m;
    }
    return out;
}
