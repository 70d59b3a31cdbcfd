/**
 * Rule 14: wildcard names (`*.zone`) can only be validated by DNS-01. An ACME server offers only the
 * dns-01 challenge for a wildcard identifier (RFC 8555 section 7.1.3), and cert-manager picks a
 * solver only among those whose challenge type the authorization offers and whose selector matches
 * (cert-manager pkg/util/solverpicker/solverpicker.go, Pick). So each wildcard name needs a dns01
 * solver whose selector matches it; an http01 solver never applies, however specific its selector.
 */
import { arr, get, isObj, strMap, subjectOf, T } from "./lib/k8s";
import { certRequestOf, indexIssuers } from "./lib/issuers";
import { stackRule } from "./lib/rule";

export interface SolverSelector { dnsNames: string[]; dnsZones: string[]; matchLabels: Record<string, string> }

/**
 * Whether a solver's selector matches `name` on a certificate labelled `labels`. Every part given
 * must match: all matchLabels, one of dnsNames exactly, and one of dnsZones as the name itself or a
 * parent domain, label by label and ignoring case (pkg/controller/acmeorders/selectors: labels.go,
 * dns_names.go, dns_zones.go). No selector matches every name.
 */
export function solverSelectorMatches(sel: SolverSelector | undefined, name: string, labels: Record<string, string>): boolean {
    if (sel === undefined) return true;
    const fqdn = name.toLowerCase().replace(/\.$/, "");
    const inZone = (zone: string) => {
        const z = zone.toLowerCase().replace(/\.$/, "");
        return fqdn === z || fqdn.endsWith(`.${z}`);
    };
    return Object.entries(sel.matchLabels).every(([k, v]) => labels[k] === v)
        && (sel.dnsNames.length === 0 || sel.dnsNames.includes(name))
        && (sel.dnsZones.length === 0 || sel.dnsZones.some(inZone));
}

export const wildcardDns01 = stackRule({
    name: "wildcard-dns01",
    displayName: "Wildcard certificates via DNS-01",
    description: "Wildcard certificates must be issued through a DNS-01 solver (HTTP-01 cannot validate wildcards).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Give the issuer a dns01 solver whose selector (dnsZones) matches the wildcard's zone; an http01 solver never validates a wildcard, wherever it is listed.",
}, [], (resources, _cfg, rep) => {
    const idx = indexIssuers(resources, (r, f) => rep.guard(subjectOf(r), f));
    for (const r of resources) {
        if (r.type !== T.certificate && r.type !== T.ingress) continue;
        const subject = subjectOf(r);
        rep.guard(subject, () => {
            const req = certRequestOf(r, idx);
            if (!req || !req.issuer) return;
            const wildcards = req.dnsNames.filter((n) => n.startsWith("*."));
            const acme = get(req.issuer.props, "spec", "acme");
            if (!isObj(acme)) return;
            const solvers = arr(get(acme, "solvers")).map((s) => ({
                dns01: isObj(get(s, "dns01")),
                selector: isObj(get(s, "selector")) ? {
                    dnsNames: arr(get(s, "selector", "dnsNames")).map(String),
                    dnsZones: arr(get(s, "selector", "dnsZones")).map(String),
                    matchLabels: strMap(get(s, "selector", "matchLabels")),
                } : undefined,
            }));
            for (const name of wildcards) {
                const matching = solvers.filter((s) => solverSelectorMatches(s.selector, name, req.labels));
                if (matching.some((s) => s.dns01)) continue;
                rep.violation(subject, matching.length > 0
                    ? `wildcard ${name} matches only HTTP-01 solvers of ${req.issuerKind} ${req.issuerName}, and an ACME server offers only DNS-01 for a wildcard, so the order would fail`
                    : `no solver of ${req.issuerKind} ${req.issuerName} applies to wildcard ${name}`,
                `add a dns01 solver with selector.dnsZones covering ${name.slice(2)} to ${req.issuerKind} ${req.issuerName}`);
            }
        });
    }
});
