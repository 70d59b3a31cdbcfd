/**
 * Rule 5: no NodePort or LoadBalancer Services, in Service resources or in Helm values
 * (`*service*.type`), except the ones `exposedServiceAllowlist` names (default: the ingress
 * controller's namespace).
 */
import { get, helmNamespace, isHelm, isObj, matchesPattern, metaName, namespaceOf, str, subjectOf, T } from "./lib/k8s";
import { resourceRule } from "./lib/rule";

const EXPOSED = new Set(["NodePort", "LoadBalancer"]);

/** Paths in Helm values where a service-ish object has type NodePort/LoadBalancer. */
export function exposedServiceValues(values: unknown, path: string[] = []): { path: string; type: string }[] {
    const found: { path: string; type: string }[] = [];
    if (Array.isArray(values)) {
        values.forEach((v, i) => found.push(...exposedServiceValues(v, [...path, String(i)])));
    } else if (isObj(values)) {
        for (const k of Object.keys(values)) {
            const v = values[k];
            if (k === "type" && typeof v === "string" && EXPOSED.has(v) && /service/i.test(path[path.length - 1] ?? "")) {
                found.push({ path: [...path, k].join("."), type: v });
            } else {
                found.push(...exposedServiceValues(v, [...path, k]));
            }
        }
    }
    return found;
}

export const noExposedServices = resourceRule({
    name: "no-exposed-services",
    displayName: "No NodePort or LoadBalancer Services",
    description: "Services (and Helm values' service types) are ClusterIP, except the ingress controller's (exposedServiceAllowlist).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Use type: ClusterIP and publish through an Ingress on the platform's controller; list namespace/name in exposedServiceAllowlist only for a deliberate front door.",
}, ["exposedServiceAllowlist"], (type) => type === T.service || isHelm(type), (r, cfg, rep) => {
    const subject = subjectOf(r);
    if (r.type === T.service) {
        const type = str(get(r.props, "spec", "type")) ?? "ClusterIP";
        if (!EXPOSED.has(type)) return;
        const id = `${namespaceOf(r)}/${metaName(r) ?? r.name}`;
        if (matchesPattern(id, cfg.exposedServiceAllowlist)) return;
        rep.violation(subject, `Service ${id} is type ${type}, which exposes it outside the cluster`,
            `set spec.type: ClusterIP and publish it through an Ingress, or add "${id}" to exposedServiceAllowlist`);
        return;
    }
    const id = `${helmNamespace(r)}/${str(get(r.props, "name")) ?? r.name}`;
    if (matchesPattern(id, cfg.exposedServiceAllowlist)) return;
    for (const f of exposedServiceValues(get(r.props, "values"))) {
        rep.violation(subject, `Helm release ${id} sets values.${f.path}: ${f.type}, which exposes a Service outside the cluster`,
            `set values.${f.path}: ClusterIP and publish it through an Ingress, or add "${id}" to exposedServiceAllowlist`);
    }
});
