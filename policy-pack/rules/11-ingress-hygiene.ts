/**
 * Rule 11: Ingress hygiene. TLS hosts lie inside the stack's DNS zones (its `azure-native:dns:Zone`s
 * plus `dnsZones`); no wildcard or empty host on Ingress rules; host + path unique across Ingresses;
 * no NGINX snippet / raw-config annotations, and no `controller.enableSnippets` in NGINX chart values.
 */
import { annotationsOf, arr, get, isAzureType, isHelm, str, subjectOf, T } from "./lib/k8s";
import { stackRule } from "./lib/rule";

/** Annotations that inject raw NGINX configuration (F5 NGINX Ingress Controller and ingress-nginx). */
export function isSnippetAnnotation(key: string): boolean {
    const m = /^(nginx\.org|nginx\.ingress\.kubernetes\.io|nginx\.com)\/(.+)$/.exec(key);
    return m !== null && /snippet/i.test(m[2]);
}

export function inZone(host: string, zones: readonly string[]): boolean {
    const h = host.replace(/^\*\./, "").toLowerCase();
    return zones.some((z) => h === z || h.endsWith(`.${z}`));
}

export const ingressHygiene = stackRule({
    name: "ingress-hygiene",
    displayName: "Ingress hygiene",
    description: "TLS hosts inside the stack's DNS zone; no wildcard or empty host on Ingress rules; host + path unique across Ingresses; no NGINX snippet or raw-config annotations.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Use one explicit host per rule inside the stack's zone, one Ingress per host + path, and no *-snippet annotations (the controller runs with snippets disabled).",
}, ["dnsZones"], (resources, cfg, rep) => {
    const zones = new Set(cfg.dnsZones.map((z) => z.toLowerCase()));
    let zoneUnknown = false;
    for (const z of resources.filter((r) => isAzureType(r.type, "dns", "Zone"))) {
        const name = rep.guard(subjectOf(z), () => str(get(z.props, "zoneName")));
        if (name) zones.add(name.toLowerCase());
        else zoneUnknown = true;
    }
    const seen = new Map<string, string>();
    for (const r of resources) {
        if (!isHelm(r.type) && r.type !== T.ingress) continue;
        const subject = subjectOf(r);
        if (isHelm(r.type)) {
            rep.guard(subject, () => {
                if (get(r.props, "values", "controller", "enableSnippets") === true) {
                    rep.violation(subject, "values.controller.enableSnippets is true: Ingress annotations could inject raw NGINX configuration", "set values.controller.enableSnippets: false");
                }
            });
            continue;
        }
        rep.guard(subject, () => {
            for (const key of Object.keys(annotationsOf(r)).filter(isSnippetAnnotation)) {
                rep.violation(subject, `annotation ${key} injects raw NGINX configuration`, `remove ${key}; express the need with supported annotations or ask the platform team`);
            }
            for (const t of arr(get(r.props, "spec", "tls"))) {
                for (const host of arr(get(t, "hosts")).map(String)) {
                    if (zones.size === 0) {
                        if (zoneUnknown) rep.undecided(subject, `TLS host ${host}: the stack's DNS zone name is unknown`);
                        else rep.undecided(subject, `TLS host ${host}: no DNS zone in the stack and dnsZones is empty`);
                    } else if (!inZone(host, [...zones])) {
                        rep.violation(subject, `TLS host ${host} is outside the stack's DNS zone (${[...zones].join(", ")})`,
                            `use a host under ${[...zones][0]}, or add its zone to dnsZones`);
                    }
                }
            }
            const ns = str(get(r.props, "metadata", "namespace")) ?? "default";
            const name = str(get(r.props, "metadata", "name")) ?? r.name;
            arr(get(r.props, "spec", "rules")).forEach((rule, i) => {
                const host = str(get(rule, "host")) ?? "";
                if (host === "") {
                    rep.violation(subject, `rules[${i}] has no host, so it answers for any name`, `set rules[${i}].host to the app's name in the zone`);
                } else if (host.includes("*")) {
                    rep.violation(subject, `rules[${i}] host ${host} is a wildcard`, `set rules[${i}].host to one explicit name`);
                }
                for (const p of arr(get(rule, "http", "paths"))) {
                    const path = str(get(p, "path")) ?? "/";
                    const key = `${host}${path}`;
                    const owner = seen.get(key);
                    if (owner !== undefined && owner !== `${ns}/${name}`) {
                        rep.violation(subject, `host + path ${key} is also routed by Ingress ${owner}`, `give each host + path to one Ingress (change the host or path here or in ${owner})`);
                    } else {
                        seen.set(key, `${ns}/${name}`);
                    }
                }
            });
        });
    }
});
