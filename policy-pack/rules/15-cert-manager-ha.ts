/**
 * Rule 15: in prod, cert-manager's controller and webhook run at least `certManagerMinReplicas`
 * replicas with a PodDisruptionBudget (Helm values `replicaCount`, `podDisruptionBudget.enabled`,
 * and the same under `webhook`). The webhook matters most: while it is down, no cert-manager
 * resource can be created or changed. Advisory; mandatory in prod's policy config.
 */
import { environmentOf } from "../config";
import { chartName, get, isHelm, subjectOf } from "./lib/k8s";
import { resourceRule } from "./lib/rule";

export const certManagerHa = resourceRule({
    name: "cert-manager-ha",
    displayName: "cert-manager highly available in prod",
    description: "In prod, cert-manager runs with at least 2 replicas and a PodDisruptionBudget (controller and webhook).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "In the cert-manager release values set replicaCount: 2+, podDisruptionBudget.enabled: true, and the same under webhook.",
}, ["environment", "certManagerMinReplicas"], isHelm, (r, cfg, rep, args) => {
    if (chartName(r) !== "cert-manager") return;
    const { env } = environmentOf(cfg, r.urn);
    if (env !== "prod") args.notApplicable("not a prod stack");
    const subject = subjectOf(r);
    const values = get(r.props, "values");
    for (const [component, base] of [["controller", []], ["webhook", ["webhook"]]] as [string, string[]][]) {
        const at = (k: string): string => [...base, k].join(".");
        const replicas = get(values, ...base, "replicaCount");
        const n = replicas === undefined ? 1 : Number(replicas);
        if (!(n >= cfg.certManagerMinReplicas)) {
            rep.violation(subject, `cert-manager ${component} runs ${replicas === undefined ? "1 replica (chart default)" : `${String(replicas)} replica(s)`} in prod`,
                `set values.${at("replicaCount")}: ${cfg.certManagerMinReplicas} or more`);
        }
        if (get(values, ...base, "podDisruptionBudget", "enabled") !== true) {
            rep.violation(subject, `cert-manager ${component} has no PodDisruptionBudget in prod`, `set values.${at("podDisruptionBudget.enabled")}: true (with minAvailable: 1)`);
        }
    }
});
