/**
 * Rule 13: certificates outside prod come from Let's Encrypt's staging server; the production server
 * issues only in prod stacks. Judged on what is used: every Certificate and cert-manager-annotated
 * Ingress is resolved to its issuer's ACME server. Advisory; make it mandatory in prod's policy config.
 */
import { environmentOf } from "../config";
import { get, str, subjectOf, T } from "./lib/k8s";
import { certRequestOf, indexIssuers } from "./lib/issuers";
import { stackRule } from "./lib/rule";

export const letsEncryptEnvironment = stackRule({
    name: "letsencrypt-environment",
    displayName: "Let's Encrypt server matches the environment",
    description: "Certificates use Let's Encrypt staging outside prod and the production server only in prod stacks.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Point certificates outside prod at the staging ClusterIssuer (rate limits and trust are for production only), and prod certificates at the production ClusterIssuer.",
}, ["environment", "letsEncryptProductionServers", "letsEncryptStagingServers"], (resources, cfg, rep) => {
    if (resources.length === 0) return;
    const { env, from } = environmentOf(cfg, resources[0].urn);
    const guard = <X>(r: Parameters<typeof subjectOf>[0], f: () => X): X | undefined => rep.guard(subjectOf(r), f);
    const idx = indexIssuers(resources, guard);
    for (const r of resources) {
        if (r.type !== T.certificate && r.type !== T.ingress) continue;
        const subject = subjectOf(r);
        rep.guard(subject, () => {
            const req = certRequestOf(r, idx);
            if (!req || !req.issuer) return;
            const server = str(get(req.issuer.props, "spec", "acme", "server"));
            if (!server) return;
            const prodServer = cfg.letsEncryptProductionServers.includes(server);
            const stagingServer = cfg.letsEncryptStagingServers.includes(server);
            if (env === "nonprod" && prodServer) {
                rep.violation(subject, `issues from Let's Encrypt production (${req.issuerKind} ${req.issuerName}) in a non-prod stack (${from})`,
                    `use the staging ClusterIssuer (server ${cfg.letsEncryptStagingServers[0]}) outside prod`);
            } else if (env === "prod" && stagingServer) {
                rep.violation(subject, `issues from Let's Encrypt staging (${req.issuerKind} ${req.issuerName}) in a prod stack (${from}); browsers do not trust it`,
                    `use the production ClusterIssuer (server ${cfg.letsEncryptProductionServers[0]}) in prod`);
            }
        });
    }
});
