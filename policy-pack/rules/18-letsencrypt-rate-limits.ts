/**
 * Rule 18: the certificates the stack asks Let's Encrypt production for stay inside its limit of
 * 50 new certificates per registered domain per week (letsencrypt.org/docs/rate-limits,
 * "New Certificates per Registered Domain"), or a fresh deploy, a rebuilt cluster or a restore
 * stops issuing. Counted: every Certificate whose issuer's ACME server is Let's Encrypt production,
 * and every `spec.tls` entry with a secretName of an Ingress annotated for such an issuer (cert-manager's
 * ingress-shim makes one Certificate per such entry; an entry without a secret is served by the
 * controller's wildcard certificate and asks for nothing). A certificate counts once for each
 * registered domain its names fall under; the registered domain comes from the Public Suffix List
 * (tldts), as Let's Encrypt computes it.
 */
import { getDomain } from "tldts";
import { arr, get, str, subjectOf, T } from "./lib/k8s";
import { certRequestOf, indexIssuers } from "./lib/issuers";
import { stackRule } from "./lib/rule";

/** The registered domain of a name (`*.dev.example.co.uk` → `example.co.uk`), or the name itself. */
export function registeredDomain(name: string): string {
    const bare = name.replace(/^\*\./, "");
    return getDomain(bare) ?? bare;
}

export const letsEncryptRateLimits = stackRule({
    name: "letsencrypt-rate-limits",
    displayName: "Inside Let's Encrypt's certificate limits",
    description: "The stack asks Let's Encrypt production for at most letsEncryptCertificatesPerWeek certificates per registered domain (50 a week is Let's Encrypt's limit).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Serve hosts one label below the zone with the ingress controller's wildcard certificate (a spec.tls entry without secretName, no cert-manager annotation), so adding apps issues no certificate; keep dedicated certificates for hosts outside the wildcard.",
}, ["letsEncryptProductionServers", "letsEncryptCertificatesPerWeek"], (resources, cfg, rep) => {
    const idx = indexIssuers(resources, (r, f) => rep.guard(subjectOf(r), f));
    const isProduction = (issuer: Parameters<typeof subjectOf>[0] | undefined): boolean =>
        issuer !== undefined && cfg.letsEncryptProductionServers.includes(str(get(issuer.props, "spec", "acme", "server")) ?? "");
    /** Registered domain → the resources asking for a certificate under it. */
    const byDomain = new Map<string, string[]>();
    const count = (names: string[], who: string): void => {
        for (const domain of new Set(names.map(registeredDomain))) byDomain.set(domain, [...(byDomain.get(domain) ?? []), who]);
    };
    for (const r of resources) {
        if (r.type !== T.certificate && r.type !== T.ingress) continue;
        const subject = subjectOf(r);
        rep.guard(subject, () => {
            const req = certRequestOf(r, idx);
            if (!req || !isProduction(req.issuer)) return;
            if (r.type === T.certificate) {
                count(req.dnsNames, subject.label);
                return;
            }
            // ingress-shim (an Ingress with a cert-manager annotation, else certRequestOf found no issuer):
            // one Certificate per tls entry that names a secret.
            for (const entry of arr(get(r.props, "spec", "tls"))) {
                if (!str(get(entry, "secretName"))) continue;
                count(arr(get(entry, "hosts")).map(String), subject.label);
            }
        });
    }
    for (const [domain, who] of byDomain) {
        if (who.length <= cfg.letsEncryptCertificatesPerWeek) continue;
        rep.violation({ label: `registered domain ${domain}` },
            `${who.length} certificates from Let's Encrypt production fall under ${domain}, more than the ${cfg.letsEncryptCertificatesPerWeek} it issues per registered domain per week (${who.slice(0, 3).join("; ")}${who.length > 3 ? `; +${who.length - 3} more` : ""})`,
            "serve hosts one label below the zone with the controller's wildcard certificate (spec.tls without secretName and without the cert-manager annotation); keep dedicated certificates for hosts outside it");
    }
});
