/**
 * Rule 14: wildcard names (`*.zone`) can only be validated by DNS-01: the ACME solver cert-manager
 * would pick for each wildcard name (its selection order: dnsNames match, then the longest dnsZones
 * match, then matchLabels, then a solver without selector) must be a DNS-01 solver.
 */
import { arr, get, isObj, strMap, subjectOf, T } from "./lib/k8s";
import { certRequestOf, indexIssuers } from "./lib/issuers";
import { stackRule } from "./lib/rule";

interface Solver { dns01: boolean; http01: boolean; dnsNames: string[]; dnsZones: string[]; matchLabels: Record<string, string> }

/** The solver cert-manager selects for `name` (certificate labels `labels`), or undefined. */
export function selectSolver(solvers: Solver[], name: string, labels: Record<string, string>): Solver | undefined {
    let best: Solver | undefined;
    let bestScore = -1;
    const bare = name.replace(/^\*\./, "");
    for (const s of solvers) {
        const labelsOk = Object.entries(s.matchLabels).every(([k, v]) => labels[k] === v);
        if (!labelsOk) continue;
        let score: number;
        if (s.dnsNames.length > 0) {
            if (!s.dnsNames.includes(name)) continue;
            score = 10_000;
        } else if (s.dnsZones.length > 0) {
            const z = s.dnsZones.filter((zone) => bare === zone || bare.endsWith(`.${zone}`)).sort((a, b) => b.length - a.length)[0];
            if (z === undefined) continue;
            score = 1_000 + z.length;
        } else {
            score = Object.keys(s.matchLabels).length > 0 ? 100 : 0;
        }
        if (score > bestScore) {
            best = s;
            bestScore = score;
        }
    }
    return best;
}

export const wildcardDns01 = stackRule({
    name: "wildcard-dns01",
    displayName: "Wildcard certificates via DNS-01",
    description: "Wildcard certificates must be issued through a DNS-01 solver (HTTP-01 cannot validate wildcards).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Give the issuer a dns01 solver whose selector (dnsZones) covers the wildcard's zone, ahead of any http01 solver.",
}, [], (resources, _cfg, rep) => {
    const idx = indexIssuers(resources, (r, f) => rep.guard(subjectOf(r), f));
    for (const r of resources) {
        if (r.type !== T.certificate && r.type !== T.ingress) continue;
        const subject = subjectOf(r);
        rep.guard(subject, () => {
            const req = certRequestOf(r, idx);
            if (!req || !req.issuer) return;
            const wildcards = req.dnsNames.filter((n) => n.startsWith("*."));
            if (wildcards.length === 0) return;
            const acme = get(req.issuer.props, "spec", "acme");
            if (!isObj(acme)) return;
            const solvers: Solver[] = arr(get(acme, "solvers")).map((s) => ({
                dns01: isObj(get(s, "dns01")),
                http01: isObj(get(s, "http01")),
                dnsNames: arr(get(s, "selector", "dnsNames")).map(String),
                dnsZones: arr(get(s, "selector", "dnsZones")).map(String),
                matchLabels: strMap(get(s, "selector", "matchLabels")),
            }));
            for (const name of wildcards) {
                const s = selectSolver(solvers, name, req.labels);
                if (s?.dns01) continue;
                rep.violation(subject, s ? `wildcard ${name} would be validated by an HTTP-01 solver of ${req.issuerKind} ${req.issuerName}, which Let's Encrypt refuses for wildcards`
                    : `no solver of ${req.issuerKind} ${req.issuerName} applies to wildcard ${name}`,
                `add a dns01 solver with selector.dnsZones covering ${name.slice(2)} to ${req.issuerKind} ${req.issuerName}`);
            }
        });
    }
});
