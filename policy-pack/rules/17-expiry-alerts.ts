/**
 * Rule 17: a prod stack has an alert on certificate expiry that something evaluates and that
 * reaches a person. It passes when the stack has either
 * - a prometheus-operator PrometheusRule whose expression reads cert-manager's
 *   `certmanager_certificate_expiration_timestamp_seconds` (cert-manager v1.21.1
 *   internal/collectors/certificate_collector.go) and which carries labels a Prometheus can select
 *   it by (kube-prometheus-stack loads only rules matching its ruleSelector), or
 * - an Azure Monitor Prometheus rule group, enabled, with an enabled rule on that metric that
 *   notifies an action group, on a cluster whose managed Prometheus metrics add-on is on
 *   (`azureMonitorProfile.metrics.enabled`; without it no sample reaches the workspace).
 * Values unknown at preview make it undecided, never passed. Advisory; mandatory in prod's config.
 */
import type { PolicyResource } from "@pulumi/policy";
import { environmentOf } from "../config";
import { arr, get, isAzureType, isObj, strMap, subjectOf } from "./lib/k8s";
import { isUnknownError, stackRule } from "./lib/rule";

export const EXPIRY_METRIC = "certmanager_certificate_expiration_timestamp_seconds";
const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

type Verdict = "yes" | "no" | "unknown";

/** Runs `read`; an unknown value makes the answer "unknown". */
function tri(read: () => boolean): Verdict {
    try {
        return read() ? "yes" : "no";
    } catch (e) {
        if (isUnknownError(e)) return "unknown";
        throw e;
    }
}

function promRuleAlerts(r: PolicyResource): boolean {
    const rules = arr(get(r.props, "spec", "groups")).flatMap((g) => arr(get(g, "rules")));
    const watches = rules.some((rule) => isObj(rule) && typeof rule.alert === "string" && String(get(rule, "expr") ?? "").includes(EXPIRY_METRIC));
    return watches && Object.keys(strMap(get(r.props, "metadata", "labels"))).length > 0;
}

function azureGroupAlerts(r: PolicyResource): boolean {
    if (get(r.props, "enabled") === false) return false;
    return arr(get(r.props, "rules")).some((rule) => get(rule, "enabled") !== false
        && typeof get(rule, "alert") === "string"
        && String(get(rule, "expression") ?? "").includes(EXPIRY_METRIC)
        && arr(get(rule, "actions")).some((a) => String(get(a, "actionGroupId") ?? "") !== ""));
}

function metricsAddOnOn(r: PolicyResource): boolean {
    return get(r.props, "azureMonitorProfile", "metrics", "enabled") === true;
}

export const expiryAlerts = stackRule({
    name: "expiry-alerts",
    displayName: "Certificate expiry alerts in prod",
    description: "A prod stack evaluates an alert on certificate expiry that reaches a person: a selectable PrometheusRule, or an Azure Monitor rule group with an action group on a cluster with the metrics add-on.",
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps: "Set monitoringMode: azure (Azure Monitor managed Prometheus mails alertEmail) or prometheus-operator (with prometheusSelectorLabels your Prometheus selects).",
}, ["environment"], (resources, cfg, rep, args) => {
    const anchor = resources.find((r) => r.type.startsWith("azure-native:") || r.type.startsWith("kubernetes:"));
    if (!anchor) args.notApplicable("no Azure or Kubernetes resources");
    const { env, from } = environmentOf(cfg, anchor?.urn);
    if (env !== "prod") args.notApplicable(`not a prod stack (${from})`);

    const undecided: string[] = [];
    const verdicts = (rs: PolicyResource[], test: (r: PolicyResource) => boolean, what: string): Verdict[] => rs.map((r) => {
        const v = tri(() => test(r));
        if (v === "unknown") undecided.push(`${subjectOf(r).label}: whether it ${what} is unknown until the update`);
        return v;
    });
    const operator = verdicts(resources.filter((r) => r.type === PROMETHEUS_RULE), promRuleAlerts, "alerts on certificate expiry with selector labels");
    const groups = verdicts(resources.filter((r) => isAzureType(r.type, "alertsmanagement", "PrometheusRuleGroup")), azureGroupAlerts, "alerts on certificate expiry through an action group");
    const clusters = resources.filter((r) => isAzureType(r.type, "containerservice", "ManagedCluster"));
    const addOn = verdicts(clusters, metricsAddOnOn, "has the managed Prometheus metrics add-on on");

    if (operator.includes("yes")) return;
    if (groups.includes("yes") && addOn.includes("yes")) return;
    const subject = clusters[0] ? subjectOf(clusters[0]) : { label: "the stack" };
    if (undecided.length > 0) {
        for (const reason of undecided) rep.undecided(subject, reason);
        return;
    }
    if (groups.includes("yes")) {
        rep.violation(subject, "the Azure Monitor rule groups alert on certificate expiry, but no cluster has the managed Prometheus metrics add-on on, so no sample reaches them",
            "set azureMonitorProfile.metrics.enabled: true on the cluster (monitoringMode: azure does)");
        return;
    }
    rep.violation(subject, `prod evaluates no alert on certificate expiry (${EXPIRY_METRIC}): a failed renewal goes unnoticed until browsers refuse the certificate`,
        "set monitoringMode: azure (alerts mailed to alertEmail) or prometheus-operator (rules your Prometheus selects)");
});
