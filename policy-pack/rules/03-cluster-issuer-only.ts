/**
 * Rule 3: certificates come from ClusterIssuers. Ingresses use the `cert-manager.io/cluster-issuer`
 * annotation, never `cert-manager.io/issuer`; every Certificate's `issuerRef.kind` is ClusterIssuer
 * and names a ClusterIssuer the stack defines or the config allows; no namespaced Issuer unless allowed.
 */
import { annotationsOf, get, matchesPattern, metaName, namespaceOf, str, subjectOf, T } from "./lib/k8s";
import { stackRule } from "./lib/rule";

export const ISSUER_ANNOTATION = "cert-manager.io/issuer";
export const CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";

export const clusterIssuerOnly = stackRule({
    name: "cluster-issuer-only",
    displayName: "ClusterIssuers only",
    description: "Ingress TLS via cert-manager uses cert-manager.io/cluster-issuer, never cert-manager.io/issuer; every Certificate references a ClusterIssuer the stack defines or the config allows; no namespaced Issuers unless allowed.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Reference one of the stack's ClusterIssuers: annotate Ingresses with cert-manager.io/cluster-issuer and set issuerRef.kind: ClusterIssuer on Certificates; delete namespaced Issuers or list them in allowedNamespacedIssuers.",
}, ["allowedIssuers", "allowedNamespacedIssuers"], (resources, cfg, rep) => {
    const defined = new Set<string>(cfg.allowedIssuers);
    let unknownIssuer = false;
    for (const ci of resources.filter((r) => r.type === T.clusterIssuer)) {
        const name = rep.guard(subjectOf(ci), () => metaName(ci));
        if (name) defined.add(name);
        else unknownIssuer = true;
    }
    const known = [...defined].join(", ") || "(none)";
    const checkName = (subject: ReturnType<typeof subjectOf>, name: string, where: string): void => {
        if (defined.has(name)) return;
        if (unknownIssuer) rep.undecided(subject, `${where} names "${name}" and a ClusterIssuer's name is unknown`);
        else rep.violation(subject, `${where} names ClusterIssuer "${name}", which the stack does not define and allowedIssuers does not list`,
            `use one of the stack's ClusterIssuers (${known}) or add "${name}" to allowedIssuers`);
    };
    for (const r of resources) {
        // Only the kinds judged here get a subject (naming a resource reads its props, which costs).
        if (r.type !== T.ingress && r.type !== T.certificate && r.type !== T.issuer) continue;
        const subject = subjectOf(r);
        if (r.type === T.ingress) {
            rep.guard(subject, () => {
                const ann = annotationsOf(r);
                if (ann[ISSUER_ANNOTATION] !== undefined) {
                    rep.violation(subject, `annotation ${ISSUER_ANNOTATION}: "${ann[ISSUER_ANNOTATION]}" asks cert-manager for a namespaced Issuer`,
                        `replace it with ${CLUSTER_ISSUER_ANNOTATION}: <ClusterIssuer> (one of ${known})`);
                }
                const ci = ann[CLUSTER_ISSUER_ANNOTATION];
                if (ci !== undefined) checkName(subject, ci, `annotation ${CLUSTER_ISSUER_ANNOTATION}`);
            });
        } else if (r.type === T.certificate) {
            rep.guard(subject, () => {
                const ref = get(r.props, "spec", "issuerRef");
                const kind = str(get(ref, "kind"));
                const name = str(get(ref, "name")) ?? "";
                if (kind !== "ClusterIssuer") {
                    rep.violation(subject, `issuerRef.kind is ${kind ? `"${kind}"` : "not set (cert-manager then uses a namespaced Issuer)"}`,
                        `set spec.issuerRef to { kind: ClusterIssuer, group: cert-manager.io, name: <one of ${known}> }`);
                    return;
                }
                checkName(subject, name, "issuerRef");
            });
        } else if (r.type === T.issuer) {
            rep.guard(subject, () => {
                const id = `${namespaceOf(r)}/${metaName(r) ?? r.name}`;
                if (matchesPattern(id, cfg.allowedNamespacedIssuers)) return;
                rep.violation(subject, `namespaced Issuer ${id} is not allowed`,
                    `define it as a ClusterIssuer (or use an existing one: ${known}), or list "${id}" in allowedNamespacedIssuers`);
            });
        }
    }
});
