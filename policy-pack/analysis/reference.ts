/**
 * The straightforward evaluator: for one (source, destination, probe), walk every policy, test its
 * selector against the pod, and every rule's peers and ports against the other end. No indexing.
 * It is the definition the fast matrix (fast.ts) is checked against, and it writes the explanations.
 */
import { peerMatches, portMatches } from "./match";
import { matches } from "./selectors";
import type { Matrix, Model, ModelEndpoint, Policy, Probe, Rule, Side, Verdict } from "./types";

export const probeKey = (p: Probe): string => `${p.port}/${p.protocol}`;

function selects(policy: Policy, ep: ModelEndpoint): boolean {
    if (ep.kind !== "pod" || ep.namespace !== policy.namespace) return false;
    return matches(policy.podSelector, policy.kind === "CiliumNetworkPolicy" ? ep.ciliumLabels : ep.labels);
}

function side(model: Model, subject: ModelEndpoint, peer: ModelEndpoint, probe: Probe, dir: "ingress" | "egress", explain: boolean, notes: string[]): Side {
    const isolatedBy: string[] = [];
    let allowedBy: string | undefined;
    const dest = dir === "egress" ? peer : subject;
    for (const policy of model.policies) {
        if (!selects(policy, subject)) continue;
        if (dir === "ingress" ? policy.isolatesIngress : policy.isolatesEgress) isolatedBy.push(policy.id);
        if (allowedBy !== undefined && !explain) continue;
        const rules: Rule[] = dir === "ingress" ? policy.ingress : policy.egress;
        for (const rule of rules) {
            let peerText: string | undefined;
            if (rule.peers === "all") {
                peerText = `every ${dir === "ingress" ? "source" : "destination"} (no ${dir === "ingress" ? "from" : "to"} peers)`;
            } else {
                for (const p of rule.peers) {
                    const m = peerMatches(p, peer, model.namespaces, model.dataplane);
                    if (m.match) {
                        peerText = p.text;
                        break;
                    }
                    if (explain && m.note && !notes.includes(m.note)) notes.push(`${rule.id}: ${m.note}`);
                }
            }
            if (peerText === undefined) continue;
            let portText: string | undefined;
            if (rule.ports === "all") portText = "all ports";
            else {
                const spec = rule.ports.find((s) => portMatches(s, probe, dest));
                if (spec) portText = spec.text;
                else if (explain) {
                    const named = rule.ports.filter((s) => s.name !== undefined);
                    if (named.length > 0) notes.push(`${rule.id}: peer matches but ${probeKey(probe)} is not among its ports (${rule.ports.map((s) => s.text).join(", ")}); named ports resolve against ${dest.id}'s container ports (${dest.ports.map((p) => `${p.name ?? "unnamed"}=${p.port}/${p.protocol}`).join(", ") || "none"})`);
                    else notes.push(`${rule.id}: peer matches but ${probeKey(probe)} is not among its ports (${rule.ports.map((s) => s.text).join(", ")})`);
                }
            }
            if (portText === undefined) continue;
            if (allowedBy === undefined) {
                allowedBy = rule.id;
                if (explain) notes.push(`${rule.id} allows it: peer ${peerText}, port ${portText}.`);
            }
            if (!explain) break;
        }
    }
    return { isolated: isolatedBy.length > 0, isolatedBy, ...(isolatedBy.length > 0 && allowedBy !== undefined ? { allowedBy } : {}) };
}

/** Evaluates one connection; with `explain`, also writes the explanation sentences. */
export function evaluatePair(model: Model, from: ModelEndpoint, to: ModelEndpoint, probe: Probe, explain = true): Verdict {
    const explanation: string[] = [];
    const none: Side = { isolated: false, isolatedBy: [] };
    const base = { from: from.id, to: to.id, probe };
    if (from === to && from.kind === "pod") {
        if (explain) explanation.push(`${from.id} to itself: always allowed (a pod cannot block access to itself; see the analyzer README).`);
        return { ...base, allowed: true, egress: none, ingress: none, explanation };
    }
    if (from.kind !== "pod" && to.kind !== "pod") {
        if (explain) explanation.push(`Neither ${from.id} nor ${to.id} is a pod: no policy governs this connection, so nothing blocks it.`);
        return { ...base, allowed: true, egress: none, ingress: none, explanation };
    }
    const egressNotes: string[] = [];
    const ingressNotes: string[] = [];
    const egress = from.kind === "pod" ? side(model, from, to, probe, "egress", explain, egressNotes) : none;
    const ingress = to.kind === "pod" ? side(model, to, from, probe, "ingress", explain, ingressNotes) : none;
    const egressOk = !egress.isolated || egress.allowedBy !== undefined;
    const ingressOk = !ingress.isolated || ingress.allowedBy !== undefined;
    const allowed = egressOk && ingressOk;
    if (explain) {
        const write = (dir: "egress" | "ingress", ep: ModelEndpoint, s: Side, ok: boolean, notes: string[]): void => {
            if (ep.kind !== "pod") {
                explanation.push(`${dir === "egress" ? "Egress" : "Ingress"}: ${ep.id} is not a pod (${ep.kind}); no ${dir} policy applies to it.`);
                return;
            }
            if (!s.isolated) {
                explanation.push(`${dir === "egress" ? "Egress" : "Ingress"}: ${ep.id} is not isolated for ${dir} (no policy selecting it has ${dir === "egress" ? "Egress" : "Ingress"} in effect), so all ${dir} is allowed.`);
                return;
            }
            explanation.push(`${dir === "egress" ? "Egress" : "Ingress"}: ${ep.id} is isolated for ${dir} by ${s.isolatedBy.join(", ")}.`);
            const allowing = notes.filter((n) => n.includes(" allows it: "));
            const others = notes.filter((n) => !n.includes(" allows it: "));
            if (ok) explanation.push(...allowing);
            else {
                explanation.push(`No ${dir} rule of the policies selecting ${ep.id} allows ${dir === "egress" ? `${to.id}` : `${from.id}`} on ${probeKey(probe)}.`);
                explanation.push(...others);
            }
        };
        write("egress", from, egress, egressOk, egressNotes);
        write("ingress", to, ingress, ingressOk, ingressNotes);
        explanation.push(allowed ? `Allowed: ${from.id} -> ${to.id} on ${probeKey(probe)}.` : `Denied: ${from.id} -> ${to.id} on ${probeKey(probe)} (${!egressOk ? "egress" : ""}${!egressOk && !ingressOk ? " and " : ""}${!ingressOk ? "ingress" : ""} not allowed).`);
    }
    return { ...base, allowed, egress, ingress, explanation };
}

/** The matrix by evaluating every pair on its own (quadratic in pairs times policies; for checking and benchmarks). */
export function referenceMatrix(model: Model, probes: Probe[], from: ModelEndpoint[] = model.endpoints, to: ModelEndpoint[] = model.endpoints): Matrix {
    const out: Matrix = {};
    for (const probe of probes) {
        const m: Record<string, Record<string, boolean>> = {};
        for (const s of from) {
            const row: Record<string, boolean> = {};
            for (const d of to) row[d.id] = evaluatePair(model, s, d, probe, false).allowed;
            m[s.id] = row;
        }
        out[probeKey(probe)] = m;
    }
    return out;
}
