/**
 * Rule 10: every workload's pods (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod)
 * are selected, in both directions, by a NetworkPolicy of their namespace that allows nothing in
 * that direction, so every flow they have must be opened explicitly.
 */
import { arr, get, namespaceOf, podTemplateOf, ResourceLike, selectorMatches, subjectOf, WORKLOAD_TYPES, T } from "./lib/k8s";
import { isUnknownError, stackRule } from "./lib/rule";

interface DenyPolicy {
    namespace: string;
    selector: unknown;
    ingress: boolean;
    egress: boolean;
}

/** A policy that denies a direction: that type in policyTypes and no rules for it. */
function denyOf(np: ResourceLike): DenyPolicy {
    const spec = get(np.props, "spec");
    const types = arr(get(spec, "policyTypes")).map(String);
    return {
        namespace: namespaceOf(np),
        selector: get(spec, "podSelector"),
        ingress: types.includes("Ingress") && arr(get(spec, "ingress")).length === 0,
        egress: types.includes("Egress") && arr(get(spec, "egress")).length === 0,
    };
}

export const workloadDefaultDeny = stackRule({
    name: "workload-default-deny",
    displayName: "Every workload is isolated",
    description: "Each Deployment, StatefulSet, DaemonSet, Job (and CronJob, ReplicaSet, Pod) pod template is selected by a default deny in both directions, so it needs explicit allows.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Create a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress], no rules) in the workload's namespace, or one whose podSelector matches the pod template's labels.",
}, [], (resources, _cfg, rep) => {
    const denies: DenyPolicy[] = [];
    const unknownIn = new Set<string>();
    for (const np of resources.filter((r) => r.type === T.networkPolicy)) {
        try {
            denies.push(denyOf(np));
        } catch (e) {
            if (!isUnknownError(e)) throw e;
            try {
                unknownIn.add(namespaceOf(np));
            } catch {
                unknownIn.add("*");
            }
        }
    }
    for (const w of resources.filter((r) => WORKLOAD_TYPES[r.type] !== undefined)) {
        const subject = subjectOf(w);
        rep.guard(subject, () => {
            const ns = namespaceOf(w);
            const tpl = podTemplateOf(w);
            if (!tpl) return;
            const mine = denies.filter((d) => d.namespace === ns && selectorMatches(d.selector, tpl.labels));
            const missing = [mine.some((d) => d.ingress) ? "" : "Ingress", mine.some((d) => d.egress) ? "" : "Egress"].filter(Boolean);
            if (missing.length === 0) return;
            if (unknownIn.has(ns) || unknownIn.has("*")) {
                rep.undecided(subject, `a NetworkPolicy in ${ns} has an unknown spec`);
                return;
            }
            rep.violation(subject, `its pods (labels ${JSON.stringify(tpl.labels)}) are not selected by a default deny for ${missing.join(" and ")} in namespace ${ns}`,
                `add NetworkPolicy "default-deny" in namespace ${ns} with podSelector: {}, policyTypes: [Ingress, Egress] and no rules`);
        });
    }
});
