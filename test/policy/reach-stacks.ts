/** Hand-built stacks for the analyzer-backed rules: app namespaces behind the ingress controller. */
import type { PackConfig } from "../../policy-pack/config";
import { DEFAULTS } from "../../policy-pack/config";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { k, simpleIngress } from "./helpers";

export const IC_LABELS = DEFAULTS.endpoints["nginx-ingress-controller"].labels;
export const WEBHOOK_LABELS = DEFAULTS.endpoints["cert-manager-webhook"].labels;
export const nsSel = (ns: string) => ({ matchLabels: { "kubernetes.io/metadata.name": ns } });

/** Only kube-dns, the ingress controller and a webhook; no default flows (each test names its own). */
export const CFG: Partial<PackConfig> = {
    endpoints: { "kube-dns": DEFAULTS.endpoints["kube-dns"], "nginx-ingress-controller": DEFAULTS.endpoints["nginx-ingress-controller"], "cert-manager-webhook": DEFAULTS.endpoints["cert-manager-webhook"] },
    requiredFlows: [],
};

export function app(ns: string, opts: { dns?: boolean; fromIngress?: boolean } = {}): PlanResource[] {
    const labels = { "app.kubernetes.io/name": ns };
    return [
        k.namespace(ns, { "aks-platform/role": "app" }),
        k.defaultDeny(ns),
        ...(opts.dns === false ? [] : [k.allowDns(ns)]),
        k.deployment(ns, ns, labels, [{ name: "http", containerPort: 8080 }]),
        k.service(ns, ns, { type: "ClusterIP", selector: labels, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] }),
        simpleIngress(ns, ns, `${ns}.example.com`),
        ...(opts.fromIngress === false ? [] : [k.networkPolicy(ns, "from-ingress", { podSelector: { matchLabels: labels }, policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: nsSel("nginx-ingress"), podSelector: { matchLabels: IC_LABELS } }], ports: [{ port: 8080, protocol: "TCP" }] }] })]),
    ];
}

export function ingressController(apps: string[]): PlanResource[] {
    return [
        k.namespace("nginx-ingress"), k.defaultDeny("nginx-ingress"), k.allowDns("nginx-ingress"),
        k.release("ingress", { name: "nginx-ingress", namespace: "nginx-ingress", chart: "oci://ghcr.io/nginx/charts/nginx-ingress", version: "2.3.1" }),
        k.networkPolicy("nginx-ingress", "to-apps", { podSelector: { matchLabels: IC_LABELS }, policyTypes: ["Egress"],
            egress: apps.map((a) => ({ to: [{ namespaceSelector: nsSel(a), podSelector: { matchLabels: { "app.kubernetes.io/name": a } } }], ports: [{ port: 8080, protocol: "TCP" }] })) }),
    ];
}
