/**
 * Rule 4: TLS on every Ingress: each host of each rule is covered by a `spec.tls` entry that has a
 * secret name. (Rules without a host are ingress-hygiene's concern.)
 */
import { arr, get, str, subjectOf, T } from "./lib/k8s";
import { resourceRule } from "./lib/rule";

/** True when a TLS host (possibly `*.zone`) covers a rule host. */
export function tlsCovers(tlsHost: string, host: string): boolean {
    if (tlsHost === host) return true;
    if (tlsHost.startsWith("*.")) {
        const rest = host.slice(host.indexOf(".") + 1);
        return host.includes(".") && !host.startsWith("*.") && rest === tlsHost.slice(2);
    }
    return false;
}

export const ingressTls = resourceRule({
    name: "ingress-tls",
    displayName: "TLS on every Ingress",
    description: "Each host of each Ingress rule is covered by spec.tls with a secret name.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add spec.tls: [{ hosts: [<every rule host>], secretName: <name> }] and the cert-manager.io/cluster-issuer annotation, so cert-manager issues the certificate.",
}, [], T.ingress, (r, _cfg, rep) => {
    const subject = subjectOf(r);
    const tls = arr(get(r.props, "spec", "tls")).map((t) => ({ hosts: arr(get(t, "hosts")).map(String), secret: str(get(t, "secretName")) ?? "" }));
    for (const rule of arr(get(r.props, "spec", "rules"))) {
        const host = str(get(rule, "host"));
        if (!host) continue;
        const covering = tls.filter((t) => t.hosts.some((h) => tlsCovers(h, host)));
        if (covering.length === 0) {
            rep.violation(subject, `host ${host} is served without TLS (no spec.tls entry lists it)`,
                `add spec.tls: [{ hosts: ["${host}"], secretName: "<name>-tls" }] and annotate cert-manager.io/cluster-issuer`);
        } else if (!covering.some((t) => t.secret !== "")) {
            rep.violation(subject, `the spec.tls entry for host ${host} has no secretName`,
                `set secretName on the spec.tls entry listing ${host} (cert-manager writes the certificate there)`);
        }
    }
});
