/**
 * Rule 1: every Namespace the stack creates has a default-deny NetworkPolicy: `podSelector: {}`,
 * `policyTypes` with both Ingress and Egress, and no ingress or egress rules.
 *
 * At preview a policy may be partly unknown. Its known parts decide what they can: a policy with an
 * allow rule, a pod selector or a missing policy type can never be a default deny, whatever its
 * unknown parts are; only a policy whose known shape could still be one keeps a namespace undecided.
 */
import { get, isObj, isUnknownValue, metaName, Obj, subjectOf, T, UnknownValue, withUnknowns } from "./lib/k8s";
import { stackRule } from "./lib/rule";

/** Whether a policy is a default deny: yes, no, or maybe (with the unknown paths it depends on). */
export type DenyShape = { is: "yes" } | { is: "no" } | { is: "maybe"; unknown: string[] };

/** A `withUnknowns` copy's list: its entries, or the unknown that stands for it. */
function listOf(v: unknown): unknown[] | UnknownValue | undefined {
    return isUnknownValue(v) ? v : Array.isArray(v) ? v : undefined;
}

/** The shape of a NetworkPolicy (props as `withUnknowns` gives them) as a default deny for both directions. */
export function defaultDenyShape(props: Obj): DenyShape {
    const unknown: string[] = [];
    const spec = get(props, "spec");
    if (isUnknownValue(spec)) return { is: "maybe", unknown: [spec.path] };
    // podSelector: {} (or absent, which the API server reads as {}) selects every pod.
    const sel = get(spec, "podSelector");
    if (isUnknownValue(sel)) unknown.push(sel.path);
    else if (isObj(sel)) {
        for (const key of ["matchLabels", "matchExpressions"]) {
            const part = sel[key];
            if (isUnknownValue(part)) unknown.push(part.path);
            // Any known requirement (even one with an unknown value) narrows the selection.
            else if ((Array.isArray(part) && part.length > 0) || (isObj(part) && Object.keys(part).length > 0)) return { is: "no" };
        }
    }
    // policyTypes must list Ingress and Egress; unknown entries may be the missing ones.
    const types = listOf(get(spec, "policyTypes"));
    if (isUnknownValue(types)) unknown.push(types.path);
    else {
        const known = (types ?? []).filter((t): t is string => typeof t === "string");
        const unknownTypes = (types ?? []).filter(isUnknownValue);
        const missing = ["Ingress", "Egress"].filter((t) => !known.includes(t));
        if (missing.length > unknownTypes.length) return { is: "no" };
        if (missing.length > 0) unknown.push(...unknownTypes.map((t) => t.path));
    }
    // No rules in either direction: a known rule is an allow.
    for (const dir of ["ingress", "egress"]) {
        const rules = listOf(get(spec, dir));
        if (isUnknownValue(rules)) unknown.push(rules.path);
        else if (rules && rules.length > 0) return { is: "no" };
    }
    return unknown.length > 0 ? { is: "maybe", unknown } : { is: "yes" };
}

export const namespaceDefaultDeny = stackRule({
    name: "namespace-default-deny",
    displayName: "Namespaces are default-deny",
    description: "Every Namespace the stack creates has a NetworkPolicy selecting all pods with Ingress and Egress in policyTypes and no allow rules.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Add a NetworkPolicy named default-deny in the namespace with podSelector: {}, policyTypes: [Ingress, Egress] and no ingress or egress rules; open each needed flow with its own policy. Or list the namespace in exemptNamespaces.",
}, ["exemptNamespaces"], (resources, cfg, rep) => {
    const denied = new Set<string>();
    /** Namespace → policies that may be its default deny (label and what they depend on). */
    const maybe = new Map<string, string[]>();
    /** Policies whose namespace is unknown but whose known shape could be a default deny. */
    const anywhere: string[] = [];
    for (const np of resources.filter((r) => r.type === T.networkPolicy)) {
        const props = withUnknowns(np.props) as Obj;
        const shape = defaultDenyShape(props);
        if (shape.is === "no") continue;
        const label = subjectOf(np).label;
        const ns = get(props, "metadata", "namespace");
        if (isUnknownValue(ns) || isUnknownValue(get(props, "metadata"))) {
            const path = isUnknownValue(ns) ? ns.path : ".metadata";
            anywhere.push(`${label} (${[path, ...(shape.is === "maybe" ? shape.unknown : [])].join(", ")} unknown)`);
            continue;
        }
        const namespace = typeof ns === "string" && ns !== "" ? ns : "default";
        if (shape.is === "yes") denied.add(namespace);
        else maybe.set(namespace, [...(maybe.get(namespace) ?? []), `${label} (${shape.unknown.join(", ")} unknown)`]);
    }
    for (const nsr of resources.filter((r) => r.type === T.namespace)) {
        const subject = subjectOf(nsr);
        rep.guard(subject, () => {
            const name = metaName(nsr);
            if (!name) {
                rep.undecided(subject, "metadata.name is not set (auto-named), so no policy can be matched to it");
                return;
            }
            if (cfg.exemptNamespaces.includes(name) || denied.has(name)) return;
            const candidates = [...(maybe.get(name) ?? []), ...anywhere];
            if (candidates.length > 0) {
                rep.undecided(subject, `no default deny is known for ${name}; it depends on ${candidates.join("; ")}`);
                return;
            }
            rep.violation(subject, `namespace "${name}" has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress], no rules)`,
                `add NetworkPolicy "default-deny" in namespace ${name} with podSelector: {}, policyTypes: [Ingress, Egress] and no rules, or add "${name}" to exemptNamespaces`);
        });
    }
});
