/**
 * Rule 4: TLS on every Ingress: each host of each rule is covered by a `spec.tls` entry, and that
 * entry either names a secret or the host is served by the ingress controller's wildcard
 * certificate. (Rules without a host are ingress-hygiene's concern.)
 *
 * The F5 NGINX Ingress Controller serves a TLS host whose `spec.tls` entry has no secret with the
 * secret of `-wildcard-tls-secret` (chart value `controller.wildcardTLS.secret`), and rejects the
 * handshake when none is set (nginx/kubernetes-ingress v5.5.4, internal/configs/ingress.go,
 * addSSLConfig). So a secretless entry is fine exactly when a controller of the Ingress's class has a
 * wildcard secret whose Certificate in the stack covers the host.
 */
import type { PolicyResource } from "@pulumi/policy";
import { arr, chartName, get, isHelm, namespaceOf, str, subjectOf, T } from "./lib/k8s";
import { Reporter, stackRule } from "./lib/rule";

/** True when a TLS host (possibly `*.zone`) covers a rule host. */
export function tlsCovers(tlsHost: string, host: string): boolean {
    if (tlsHost === host) return true;
    if (tlsHost.startsWith("*.")) {
        const rest = host.slice(host.indexOf(".") + 1);
        // `*.zone` covers one label below the zone (a `*.zone` host equals it, handled above).
        return host.includes(".") && rest === tlsHost.slice(2);
    }
    return false;
}

/** The F5 chart's default ingress class (charts/nginx-ingress/values.yaml, controller.ingressClass.name). */
const DEFAULT_CLASS = "nginx";

interface WildcardTls {
    /** Names the wildcard certificate covers, by ingress class of the controller serving it. */
    byClass: Map<string, string[]>;
    /** A controller or certificate could not be read (values unknown at preview). */
    unknown: boolean;
}

/** What each NGINX controller in the stack serves for TLS hosts without a secret. */
function wildcardTls(resources: readonly PolicyResource[], rep: Reporter): WildcardTls {
    const out: WildcardTls = { byClass: new Map(), unknown: false };
    const certificates = resources.filter((r) => r.type === T.certificate);
    for (const release of resources.filter((r) => isHelm(r.type))) {
        let read = false;
        rep.guard(subjectOf(release), () => {
            if (chartName(release) === "nginx-ingress") {
                const secret = str(get(release.props, "values", "controller", "wildcardTLS", "secret"));
                const cls = str(get(release.props, "values", "controller", "ingressClass", "name")) ?? DEFAULT_CLASS;
                if (secret) {
                    const [namespace, name] = secret.includes("/") ? secret.split("/") : ["", secret];
                    const names = certificates
                        .filter((c) => namespaceOf(c) === namespace && str(get(c.props, "spec", "secretName")) === name)
                        .flatMap((c) => arr(get(c.props, "spec", "dnsNames")).map(String));
                    out.byClass.set(cls, [...(out.byClass.get(cls) ?? []), ...names]);
                }
            }
            read = true;
        });
        if (!read) out.unknown = true;
    }
    return out;
}

export const ingressTls = stackRule({
    name: "ingress-tls",
    displayName: "TLS on every Ingress",
    description: "Each host of each Ingress rule is covered by spec.tls, with a secret name or by the ingress controller's wildcard certificate.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add spec.tls: [{ hosts: [<every rule host>] }]. For a host one label below the zone, the controller's wildcard certificate serves it; for any other host, add secretName and the cert-manager.io/cluster-issuer annotation so cert-manager issues its certificate.",
}, [], (resources, _cfg, rep) => {
    const wildcard = wildcardTls(resources, rep);
    for (const r of resources.filter((x) => x.type === T.ingress)) {
        const subject = subjectOf(r);
        rep.guard(subject, () => {
            const tls = arr(get(r.props, "spec", "tls")).map((t) => ({ hosts: arr(get(t, "hosts")).map(String), secret: str(get(t, "secretName")) ?? "" }));
            const cls = str(get(r.props, "spec", "ingressClassName"));
            // An Ingress without a class is taken by every F5 controller (values.yaml, controller.ingressClass).
            const served = cls === undefined ? [...wildcard.byClass.values()].flat() : wildcard.byClass.get(cls) ?? [];
            for (const rule of arr(get(r.props, "spec", "rules"))) {
                const host = str(get(rule, "host"));
                if (!host) continue;
                const covering = tls.filter((t) => t.hosts.some((h) => tlsCovers(h, host)));
                if (covering.length === 0) {
                    rep.violation(subject, `host ${host} is served without TLS (no spec.tls entry lists it)`,
                        `add spec.tls: [{ hosts: ["${host}"] }] (and a secretName with the cert-manager.io/cluster-issuer annotation unless the controller's wildcard certificate covers it)`);
                } else if (!covering.some((t) => t.secret !== "") && !served.some((n) => tlsCovers(n, host))) {
                    if (wildcard.unknown) {
                        rep.undecided(subject, `the spec.tls entry for host ${host} has no secretName, and whether the ingress controller's wildcard certificate covers it is unknown until the update`);
                    } else {
                        rep.violation(subject, `the spec.tls entry for host ${host} has no secretName, and no ingress controller of class ${cls ?? "(any)"} serves a wildcard certificate covering it (NGINX would refuse the TLS handshake)`,
                            `set secretName on that entry and annotate cert-manager.io/cluster-issuer, or use a host one label below the zone, which the controller's wildcard certificate (controller.wildcardTLS.secret) serves`);
                    }
                }
            }
        });
    }
});
