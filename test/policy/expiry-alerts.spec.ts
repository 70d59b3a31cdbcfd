/**
 * Rule expiry-alerts in detail: which rules count as an alert someone receives. An alerting rule has
 * `alert` (a `record` rule only stores a series: prometheus-operator PrometheusRule Rule type; Azure
 * Monitor PrometheusRuleGroup rules likewise); a disabled rule or group never fires; an Azure rule
 * notifies only through an action group it names.
 */
import * as assert from "node:assert/strict";
import { EXPIRY_METRIC } from "../../policy-pack/rules/17-expiry-alerts";
import { expectClean, expectUndecided, expectViolations, resource, runRule, UNKNOWN, violations } from "./helpers";

const cluster = (metrics = true) => resource("azure-native:containerservice:ManagedCluster", "aks", { azureMonitorProfile: { metrics: { enabled: metrics } } }, "prod");
const azureRule = { alert: "CertificateExpiringSoon", expression: `(${EXPIRY_METRIC} - time()) < 21 * 86400`, enabled: true, actions: [{ actionGroupId: "/subscriptions/s/ag" }] };
const group = (rule: Record<string, unknown>) => resource("azure-native:alertsmanagement:PrometheusRuleGroup", "certs", { enabled: true, rules: [{ ...azureRule, ...rule }] }, "prod");
const promRule = (rule: Record<string, unknown>, labels: Record<string, string> = { release: "kps" }) => resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "certs", {
    metadata: { name: "certs", namespace: "cert-manager", labels }, spec: { groups: [{ name: "certificates", rules: [rule] }] },
}, "prod");

describe("expiry-alerts: what counts as an alert", () => {
    it("an Azure rule that is disabled, records instead of alerting, or names an empty action group does not", async () => {
        for (const broken of [{ enabled: false }, { alert: undefined, record: "cert:expiry" }, { actions: [{ actionGroupId: "" }] }, { actions: [{}] }]) {
            expectViolations(await runRule("expiry-alerts", [cluster(), group(broken)]), 1, "prod evaluates no alert on certificate expiry");
        }
    });
    it("a PrometheusRule that records, or watches another metric, does not", async () => {
        expectViolations(await runRule("expiry-alerts", [cluster(false), promRule({ record: "x", expr: EXPIRY_METRIC })]), 1, "no alert");
        expectViolations(await runRule("expiry-alerts", [cluster(false), promRule({ alert: "X", expr: "up == 0" })]), 1, "no alert");
    });
    it("one alerting rule among others is enough", async () => {
        const two = resource("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "certs", {
            metadata: { name: "certs", namespace: "cert-manager", labels: { release: "kps" } },
            spec: { groups: [{ name: "g", rules: [{ alert: "Other", expr: "up == 0" }, { alert: "X", expr: `${EXPIRY_METRIC} - time() < 0` }] }] },
        }, "prod");
        expectClean(await runRule("expiry-alerts", [cluster(false), two]));
    });
    it("a PrometheusRule alerts with or without the Azure add-on", async () => {
        expectClean(await runRule("expiry-alerts", [cluster(false), promRule({ alert: "X", expr: `${EXPIRY_METRIC} - time() < 0` })]));
    });
});

describe("expiry-alerts: findings", () => {
    it("names the metric and both ways to fix it, on the cluster", async () => {
        expectViolations(await runRule("expiry-alerts", [cluster(false)]), 1,
            `ManagedCluster`, `prod evaluates no alert on certificate expiry (${EXPIRY_METRIC}): a failed renewal goes unnoticed until browsers refuse the certificate`,
            "Fix: set monitoringMode: azure (alerts mailed to alertEmail) or prometheus-operator (rules your Prometheus selects)");
    });
    it("without a cluster the stack is the subject", async () => {
        const [v] = expectViolations(await runRule("expiry-alerts", [promRule({ alert: "X", expr: "up" })]), 1, "no alert");
        assert.ok(v.message.startsWith("the stack: "), v.message);
    });
    it("the add-on missing: the fix names the cluster setting", async () => {
        expectViolations(await runRule("expiry-alerts", [cluster(false), group({})]), 1, "Fix: set azureMonitorProfile.metrics.enabled: true on the cluster (monitoringMode: azure does)");
    });
    it("an unknown PrometheusRule is undecided, naming it", async () => {
        const r = await runRule("expiry-alerts", [cluster(false), promRule({ alert: "X", expr: UNKNOWN })]);
        assert.equal(violations(r).length, 0);
        expectUndecided(r, "PrometheusRule cert-manager/certs", "whether it alerts on certificate expiry with selector labels is unknown until the update");
    });
    it("a stack with no Azure or Kubernetes resources is not applicable", async () => {
        const r = await runRule("expiry-alerts", [resource("random:index/randomString:RandomString", "r", {}, "prod")]);
        expectClean(r);
        assert.match(r.notApplicable[0]?.reason ?? "", /no Azure or Kubernetes resources/);
    });
    it("the environment setting makes any stack prod", async () => {
        const devCluster = resource("azure-native:containerservice:ManagedCluster", "aks", { azureMonitorProfile: { metrics: { enabled: false } } }, "dev");
        expectViolations(await runRule("expiry-alerts", [devCluster], { environment: "prod" }), 1, "no alert");
    });
});
