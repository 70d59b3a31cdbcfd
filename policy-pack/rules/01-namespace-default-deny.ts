/**
 * Rule 1: every Namespace the stack creates has a default-deny NetworkPolicy: `podSelector: {}`,
 * `policyTypes` with both Ingress and Egress, and no ingress or egress rules.
 */
import { arr, get, metaName, namespaceOf, ResourceLike, selectsAll, subjectOf, T } from "./lib/k8s";
import { isUnknownError, stackRule } from "./lib/rule";

/** True for a NetworkPolicy that denies everything to every pod of its namespace. */
export function isDefaultDeny(np: ResourceLike): boolean {
    const spec = get(np.props, "spec");
    const types = arr(get(spec, "policyTypes")).map(String);
    return selectsAll(get(spec, "podSelector")) && types.includes("Ingress") && types.includes("Egress")
        && arr(get(spec, "ingress")).length === 0 && arr(get(spec, "egress")).length === 0;
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
    const undecidedNs = new Set<string>();
    let unknownNamespace = false;
    for (const np of resources.filter((r) => r.type === T.networkPolicy)) {
        const ns = rep.guard(subjectOf(np), () => namespaceOf(np));
        if (ns === undefined) {
            // Its namespace is unknown until the update: it could be any namespace's default deny.
            unknownNamespace = true;
            continue;
        }
        try {
            if (isDefaultDeny(np)) denied.add(ns);
        } catch (e) {
            if (!isUnknownError(e)) throw e;
            // An unknown spec could be the default deny: the namespace is undecided unless another policy settles it.
            undecidedNs.add(ns);
        }
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
            if (undecidedNs.has(name)) {
                rep.undecided(subject, `a NetworkPolicy in ${name} has an unknown spec`);
                return;
            }
            if (unknownNamespace) {
                rep.undecided(subject, `no default deny is known for ${name}, and a NetworkPolicy's namespace is unknown until the update`);
                return;
            }
            rep.violation(subject, `namespace "${name}" has no default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress], no rules)`,
                `add NetworkPolicy "default-deny" in namespace ${name} with podSelector: {}, policyTypes: [Ingress, Egress] and no rules, or add "${name}" to exemptNamespaces`);
        });
    }
});
