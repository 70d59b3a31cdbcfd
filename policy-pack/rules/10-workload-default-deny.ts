/**
 * Rule 10: every workload's pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod)
 * are selected, in both directions, by a NetworkPolicy of their namespace that allows nothing in
 * that direction, so every flow they have must be opened explicitly.
 *
 * At preview, each policy's known parts decide: a policy that certainly does not select the pods, or
 * certainly allows something in a direction, never counts; one that may (an unknown namespace,
 * selector value, policyTypes or rule list) keeps the workload undecided for that direction only.
 */
import { arr, get, isObj, isUnknownValue, Obj, selectorMatches, subjectOf, T, unknownPaths, withUnknowns, WORKLOAD_TYPES } from "./lib/k8s";
import { stackRule } from "./lib/rule";

type Tri = "yes" | "no" | "maybe";
type Direction = "Ingress" | "Egress";

interface DenyPolicy {
    label: string;
    /** undefined: unknown (the policy may be in any namespace). */
    namespace?: string;
    selector: unknown;
    deny: Record<Direction, Tri>;
    unknown: string[];
}

function and(a: Tri, b: Tri): Tri {
    return a === "no" || b === "no" ? "no" : a === "maybe" || b === "maybe" ? "maybe" : "yes";
}

/** A label selector (a `withUnknowns` copy) against known labels. */
export function selects(sel: unknown, labels: Record<string, string>): Tri {
    if (sel === undefined || sel === null) return "yes";
    if (isUnknownValue(sel) || !isObj(sel)) return isUnknownValue(sel) ? "maybe" : "no";
    let maybe = false;
    const ml = sel.matchLabels;
    if (isUnknownValue(ml)) maybe = true;
    else if (isObj(ml)) {
        for (const [k, v] of Object.entries(ml)) {
            if (!Object.prototype.hasOwnProperty.call(labels, k)) return "no";
            if (isUnknownValue(v)) maybe = true;
            else if (labels[k] !== v) return "no";
        }
    }
    const me = sel.matchExpressions;
    if (isUnknownValue(me)) maybe = true;
    else {
        for (const e of arr(me)) {
            if (unknownPaths(e).length > 0) maybe = true;
            else if (!selectorMatches({ matchExpressions: [e] }, labels)) return "no";
        }
    }
    return maybe ? "maybe" : "yes";
}

/** Whether a policy (a `withUnknowns` copy) denies a direction: the type listed and no rules for it. */
function denies(spec: unknown, dir: Direction): Tri {
    if (isUnknownValue(spec)) return "maybe";
    const types = get(spec, "policyTypes");
    let listed: Tri;
    if (isUnknownValue(types)) listed = "maybe";
    else {
        const list = arr(types);
        listed = list.includes(dir) ? "yes" : list.some(isUnknownValue) ? "maybe" : "no";
    }
    const rules = get(spec, dir === "Ingress" ? "ingress" : "egress");
    const none: Tri = isUnknownValue(rules) ? "maybe" : arr(rules).length === 0 ? "yes" : "no";
    return and(listed, none);
}

function denyOf(label: string, props: Obj): DenyPolicy {
    const ns = get(props, "metadata", "namespace");
    const spec = get(props, "spec");
    return {
        label,
        ...(isUnknownValue(ns) || isUnknownValue(get(props, "metadata")) ? {} : { namespace: typeof ns === "string" && ns !== "" ? ns : "default" }),
        selector: isUnknownValue(spec) ? spec : get(spec, "podSelector"),
        deny: { Ingress: denies(spec, "Ingress"), Egress: denies(spec, "Egress") },
        unknown: unknownPaths(props.metadata).concat(unknownPaths(spec)),
    };
}

/** The raw labels of a workload's pod template in a `withUnknowns` copy. */
function templateLabels(type: string, o: Obj): unknown {
    const kind = WORKLOAD_TYPES[type];
    if (kind === "Pod") return get(o, "metadata", "labels");
    const tpl = kind === "CronJob" ? get(o, "spec", "jobTemplate", "spec", "template") : get(o, "spec", "template");
    return isUnknownValue(tpl) ? tpl : get(tpl, "metadata", "labels");
}

export const workloadDefaultDeny = stackRule({
    name: "workload-default-deny",
    displayName: "Every workload is isolated",
    description: "Each Deployment, StatefulSet, DaemonSet, Job (and CronJob, ReplicaSet, Pod) pod template is selected by a default deny in both directions, so it needs explicit allows.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Create a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress], no rules) in the workload's namespace, or one whose podSelector matches the pod template's labels.",
}, [], (resources, _cfg, rep) => {
    // By namespace (policies whose namespace is unknown apply to every workload): linear in the stack, not quadratic.
    const byNamespace = new Map<string, DenyPolicy[]>();
    const anyNamespace: DenyPolicy[] = [];
    for (const np of resources.filter((r) => r.type === T.networkPolicy)) {
        const d = denyOf(subjectOf(np).label, withUnknowns(np.props) as Obj);
        if (d.namespace === undefined) anyNamespace.push(d);
        else byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) ?? []), d]);
    }
    for (const w of resources.filter((r) => WORKLOAD_TYPES[r.type] !== undefined)) {
        const subject = subjectOf(w);
        const o = withUnknowns(w.props) as Obj;
        const ns = get(o, "metadata", "namespace");
        const rawLabels = templateLabels(w.type, o);
        const unknown = [...(isUnknownValue(ns) ? [ns.path] : []), ...unknownPaths(rawLabels)];
        if (unknown.length > 0) {
            rep.undecided(subject, `${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} unknown until the update, so the policies selecting its pods cannot be found`);
            continue;
        }
        const namespace = typeof ns === "string" && ns !== "" ? ns : "default";
        const labels: Record<string, string> = {};
        if (isObj(rawLabels)) for (const [k, v] of Object.entries(rawLabels)) if (typeof v === "string") labels[k] = v;
        const missing: Direction[] = [];
        const undecided: string[] = [];
        const denies = [...(byNamespace.get(namespace) ?? []), ...anyNamespace];
        for (const dir of ["Ingress", "Egress"] as Direction[]) {
            // `denies` holds this namespace's policies and those whose namespace is unknown.
            const verdicts = denies.map((d) => ({ d, v: and(and(d.namespace === undefined ? "maybe" : "yes", selects(d.selector, labels)), d.deny[dir]) }));
            if (verdicts.some((x) => x.v === "yes")) continue;
            const maybe = verdicts.filter((x) => x.v === "maybe");
            if (maybe.length > 0) undecided.push(`${dir}: ${maybe.map((x) => `${x.d.label} (${x.d.unknown.join(", ")} unknown)`).join("; ")}`);
            else missing.push(dir);
        }
        if (missing.length > 0) {
            rep.violation(subject, `its pods (labels ${JSON.stringify(labels)}) are not selected by a default deny for ${missing.join(" and ")} in namespace ${namespace}`,
                `add NetworkPolicy "default-deny" in namespace ${namespace} with podSelector: {}, policyTypes: [Ingress, Egress] and no rules`);
        }
        if (undecided.length > 0) rep.undecided(subject, `whether a default deny selects its pods depends on ${undecided.join(" | ")}`);
    }
});
