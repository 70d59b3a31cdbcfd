/** Monitoring mode `azure`: the managed Prometheus resources, their wiring, and the alert path summary. */
import * as assert from "assert";
import type { PlanResource } from "../../policy-pack/plan-resource";
import { at, ofType, one, stackRun } from "../support/runs";
import { runProgram } from "../../plan/program";
import { stackConfig } from "../networking/support";
import {
    actionGroupSpec, alertPathSummary, checkManagedPrometheusSettings, dataCollectionEndpointSpec, dataCollectionRuleAssociationSpec,
    dataCollectionRuleSpec, ManagedPrometheus, managedPrometheusNames, managedPrometheusProfile, ManagedPrometheusSettings, redactUrl, ruleGroupSpecs,
} from "../../components/azure/monitoring";
import { ALERT_GROUPS, allAlertRules, runbookUrl } from "../../components/kubernetes/alert-rules";
import { managedPrometheusScrapes } from "../../components/kubernetes/monitoring-specs";

const SETTINGS: ManagedPrometheusSettings = {
    location: "westeurope",
    namePrefix: "platform-prod",
    alertEmail: "platform-team@example.com",
    actionGroupShortName: "aks-prod",
};
const IDS = {
    workspaceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Monitor/accounts/platform-prod-amw",
    endpointId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionEndpoints/platform-prod-prom-dce",
    clusterId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/platform-prod-aks",
    clusterName: "platform-prod-aks",
    ruleId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/dataCollectionRules/platform-prod-prom-dcr",
    actionGroupId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/platform-prod-alerts",
};

type Plain = Record<string, unknown>;
const plain = (v: unknown): Plain => v as Plain;
const list = (v: unknown): Plain[] => v as Plain[];

describe("managed Prometheus (monitoring mode azure)", () => {
    describe("cluster profile", () => {
        it("turns the metrics add-on on in azure mode and explicitly off otherwise", () => {
            assert.deepStrictEqual(managedPrometheusProfile("azure"), { metrics: { enabled: true } });
            assert.deepStrictEqual(managedPrometheusProfile("prometheus-operator"), { metrics: { enabled: false } });
            assert.deepStrictEqual(managedPrometheusProfile("none"), { metrics: { enabled: false } });
        });
    });

    describe("data collection", () => {
        it("the endpoint and rule are kind Linux in the workspace's region", () => {
            assert.strictEqual(dataCollectionEndpointSpec(SETTINGS).kind, "Linux");
            const dcr = dataCollectionRuleSpec(SETTINGS, IDS);
            assert.strictEqual(dcr.kind, "Linux");
            assert.strictEqual(dcr.location, SETTINGS.location);
            assert.strictEqual(dcr.dataCollectionEndpointId, IDS.endpointId);
        });

        it("the rule forwards Microsoft-PrometheusMetrics from the add-on to the workspace, through one named destination", () => {
            const dcr = plain(dataCollectionRuleSpec(SETTINGS, IDS));
            const sources = (plain(dcr.dataSources).prometheusForwarder as Plain[]);
            assert.strictEqual(sources.length, 1);
            assert.deepStrictEqual(sources[0].streams, ["Microsoft-PrometheusMetrics"]);
            const accounts = plain(dcr.destinations).monitoringAccounts as Plain[];
            assert.strictEqual(accounts.length, 1);
            assert.strictEqual(accounts[0].accountResourceId, IDS.workspaceId);
            const flows = dcr.dataFlows as Plain[];
            assert.deepStrictEqual(flows, [{ streams: ["Microsoft-PrometheusMetrics"], destinations: [accounts[0].name] }]);
        });

        it("the association ties the rule to the cluster", () => {
            const dcra = dataCollectionRuleAssociationSpec(SETTINGS, IDS);
            assert.strictEqual(dcra.resourceUri, IDS.clusterId);
            assert.strictEqual(dcra.dataCollectionRuleId, IDS.ruleId);
        });
    });

    describe("rule groups", () => {
        const groups = ruleGroupSpecs(SETTINGS, IDS);

        it("one per alert group, scoped to the workspace and the cluster, evaluated every minute", () => {
            assert.deepStrictEqual(groups.map((g) => g.ruleGroupName), ALERT_GROUPS.map((g) => `platform-prod-${g.name}`));
            for (const g of groups) {
                assert.deepStrictEqual(g.scopes, [IDS.workspaceId, IDS.clusterId]);
                assert.strictEqual(g.clusterName, IDS.clusterName);
                assert.strictEqual(g.interval, "PT1M");
                assert.strictEqual(g.enabled, true);
            }
        });

        it("carries every alert once, with the same expression, ISO hold time, Azure severity and runbook, notifying the action group", () => {
            const rules = groups.flatMap((g) => list(g.rules));
            const all = allAlertRules();
            assert.deepStrictEqual(rules.map((r) => r.alert), all.map((r) => r.name));
            for (const [i, rule] of all.entries()) {
                const r = rules[i];
                assert.strictEqual(r.expression, rule.expr);
                assert.strictEqual(r.for, `PT${rule.forMinutes}M`);
                assert.strictEqual(r.severity, rule.severity === "critical" ? 0 : 2);
                assert.strictEqual(plain(r.annotations).runbook_url, runbookUrl(rule));
                assert.deepStrictEqual(r.actions, [{ actionGroupId: IDS.actionGroupId }]);
                assert.deepStrictEqual(r.resolveConfiguration, { autoResolved: true, timeToResolve: "PT10M" });
            }
        });
    });

    describe("action group", () => {
        it("e-mails the configured address with the common alert schema; global; no webhook unless configured", () => {
            const ag = actionGroupSpec(SETTINGS);
            assert.strictEqual(ag.location, "Global");
            assert.strictEqual(ag.enabled, true);
            assert.deepStrictEqual(list(ag.emailReceivers).map((r) => [r.emailAddress, r.useCommonAlertSchema]), [["platform-team@example.com", true]]);
            assert.strictEqual(ag.webhookReceivers, undefined);
        });

        it("adds the webhook when one is configured", () => {
            const ag = actionGroupSpec({ ...SETTINGS, alertWebhookUrl: "https://hooks.example.com/alerts/T0K3N" });
            assert.deepStrictEqual(list(ag.webhookReceivers).map((r) => r.serviceUri), ["https://hooks.example.com/alerts/T0K3N"]);
        });
    });

    describe("settings guards", () => {
        const problem = (s: Partial<ManagedPrometheusSettings>): string => {
            try {
                checkManagedPrometheusSettings({ ...SETTINGS, ...s });
            } catch (e) {
                return e instanceof Error ? e.message : String(e);
            }
            return "";
        };

        it("accepts the defaults", () => assert.strictEqual(problem({}), ""));

        it("refuses an address that is not an e-mail, naming alertEmail", () => {
            assert.match(problem({ alertEmail: "platform-team" }), /alertEmail "platform-team" is not an e-mail address/);
        });

        it("refuses a webhook that is not https, naming alertWebhookUrl without printing its path", () => {
            const message = problem({ alertWebhookUrl: "http://hooks.example.com/alerts/T0K3N" });
            assert.match(message, /alertWebhookUrl "http:\/\/hooks\.example\.com\/…" must be an https:\/\/ URL/);
            assert.doesNotMatch(message, /T0K3N/);
            assert.match(problem({ alertWebhookUrl: "not a url" }), /alertWebhookUrl/);
        });

        it("refuses a short name over Azure's 12 characters", () => {
            assert.match(problem({ actionGroupShortName: "platform-prod" }), /short name "platform-prod" must be 1 to 12 characters/);
        });

        it("refuses a name prefix that makes the endpoint name exceed 44 characters", () => {
            assert.match(problem({ namePrefix: "a".repeat(40) }), /namePrefix .* longer than 44 characters/);
        });

        it("reports every problem at once", () => {
            assert.strictEqual(problem({ alertEmail: "x", actionGroupShortName: "" }).split("\n- ").length, 3);
        });

        it("accepts an https webhook, a 12-character short name and a prefix that makes the endpoint name exactly 44", () => {
            assert.strictEqual(problem({ alertWebhookUrl: "https://hooks.example.com/alerts/T0K3N" }), "");
            assert.strictEqual(problem({ actionGroupShortName: "a".repeat(12) }), "");
            const prefix = "p".repeat(44 - managedPrometheusNames("").dataCollectionEndpoint.length);
            assert.strictEqual(managedPrometheusNames(prefix).dataCollectionEndpoint.length, 44);
            assert.strictEqual(problem({ namePrefix: prefix }), "");
        });

        it("shows something other than the text of a webhook that is not a URL (it may be a token)", () => {
            const shown = redactUrl("hooks.example.com/T0K3N");
            assert.ok(shown.length > 0 && !shown.includes("T0K3N"), shown);
        });

        it("redacts a URL to its scheme and host", () => {
            assert.strictEqual(redactUrl("https://user:pw@hooks.example.com:8443/a/b?token=x"), "https://hooks.example.com:8443/…");
        });
    });

    describe("what Azure requires of the specs", () => {
        it("every Azure name is distinct and carries the prefix", () => {
            const names = managedPrometheusNames("platform-prod");
            const all = [names.workspace, names.dataCollectionEndpoint, names.dataCollectionRule, names.association, names.actionGroup, ...ALERT_GROUPS.map(names.ruleGroup)];
            assert.strictEqual(new Set(all).size, all.length);
            for (const n of all) assert.ok(n.startsWith("platform-prod-") && n.length > "platform-prod-".length, n);
        });

        it("names the rule's data source (a DCR data source needs a unique, non-empty name)", () => {
            const sources = at(dataCollectionRuleSpec(SETTINGS, IDS), "dataSources.prometheusForwarder") as { name?: string }[];
            assert.strictEqual(sources.length, 1);
            assert.ok((sources[0].name ?? "").length > 0);
        });

        it("names every receiver uniquely (names must be unique across all receivers within an action group) and uses the common schema", () => {
            // @pulumi/azure-native types/input.d.ts, monitor EmailReceiver and WebhookReceiver `name`.
            const spec = actionGroupSpec({ ...SETTINGS, alertWebhookUrl: "https://hooks.example.com/a" });
            const receivers = [...list(spec.emailReceivers), ...list(spec.webhookReceivers)];
            assert.strictEqual(receivers.length, 2);
            const names = receivers.map((r) => String(r.name ?? ""));
            assert.ok(names.every((n) => n.length > 0) && new Set(names).size === names.length, JSON.stringify(names));
            for (const r of receivers) assert.strictEqual(r.useCommonAlertSchema, true);
        });

        it("labels each rule with its severity, annotates summary, description and runbook, and resolves it automatically", () => {
            const groups = ruleGroupSpecs(SETTINGS, IDS);
            const rules = groups.flatMap((g) => list(g.rules));
            assert.strictEqual(rules.length, allAlertRules().length);
            for (const source of allAlertRules()) {
                const rule = rules.find((r) => r.alert === source.name);
                assert.deepStrictEqual(rule?.labels, { severity: source.severity }, source.name);
                assert.deepStrictEqual(rule?.annotations, { summary: source.summary, description: source.description, runbook_url: runbookUrl(source) }, source.name);
                assert.strictEqual(at(rule, "resolveConfiguration.autoResolved"), true, source.name);
                assert.match(String(at(rule, "resolveConfiguration.timeToResolve")), /^PT\d+M$/, source.name);
            }
        });

        it("keeps a configured webhook URL secret in the state, and sends no webhook list without one", async () => {
            const withHook = await runProgram("prod", { configOverrides: { "aks-platform:alertWebhookUrl": "https://hooks.example.com/alerts/T0K3N" } });
            assert.strictEqual(one(withHook.resources, "azure-native:monitor:ActionGroup").props.webhookReceivers, "[secret]");
            assert.strictEqual(one((await stackRun("prod")).resources, "azure-native:monitor:ActionGroup").props.webhookReceivers, undefined);
        });
    });

    describe("in the prod stack (monitoring mode azure), under mocks", () => {
        let resources: PlanResource[];
        beforeEach(async () => { resources = (await stackRun("prod")).resources; });
        const byType = (type: string): PlanResource[] => ofType(resources, type);

        it("creates the workspace, endpoint, rule, association, action group and one rule group per alert group", () => {
            for (const t of ["AzureMonitorWorkspace", "DataCollectionEndpoint", "DataCollectionRule", "DataCollectionRuleAssociation", "ActionGroup"]) {
                one(resources, `azure-native:monitor:${t}`);
            }
            assert.strictEqual(byType("azure-native:alertsmanagement:PrometheusRuleGroup").length, ALERT_GROUPS.length);
        });

        it("wires each resource to the ones before it, and turns the cluster's metrics add-on on", () => {
            const urn = (t: string): string => one(resources, t).urn;
            const cluster = one(resources, "azure-native:containerservice:ManagedCluster");
            assert.strictEqual(at(cluster.props, "azureMonitorProfile.metrics.enabled"), true);
            const dcr = one(resources, "azure-native:monitor:DataCollectionRule");
            assert.deepStrictEqual(dcr.propertyDependencies.dataCollectionEndpointId, [urn("azure-native:monitor:DataCollectionEndpoint")]);
            assert.deepStrictEqual(dcr.propertyDependencies.destinations, [urn("azure-native:monitor:AzureMonitorWorkspace")]);
            const dcra = one(resources, "azure-native:monitor:DataCollectionRuleAssociation");
            assert.deepStrictEqual(dcra.propertyDependencies.dataCollectionRuleId, [dcr.urn]);
            assert.deepStrictEqual(dcra.propertyDependencies.resourceUri, [cluster.urn]);
            for (const g of byType("azure-native:alertsmanagement:PrometheusRuleGroup")) {
                assert.deepStrictEqual(new Set(g.propertyDependencies.scopes), new Set([urn("azure-native:monitor:AzureMonitorWorkspace"), cluster.urn]));
                assert.deepStrictEqual(g.propertyDependencies.rules, [urn("azure-native:monitor:ActionGroup")]);
            }
            assert.strictEqual(one(resources, "azure-native:monitor:AzureMonitorWorkspace").props.azureMonitorWorkspaceName, managedPrometheusNames("platform-prod").workspace);
        });

        it("mails the configured address (the ACME e-mail by default)", () => {
            const receivers = one(resources, "azure-native:monitor:ActionGroup").props.emailReceivers as { emailAddress: string }[];
            assert.deepStrictEqual(receivers.map((r) => r.emailAddress), [stackConfig("prod").monitoring.alertEmail]);
        });

        it("the cluster side creates the add-on's PodMonitors after the association, and no PrometheusRule", () => {
            const podMonitors = byType("kubernetes:azmonitoring.coreos.com/v1:PodMonitor");
            assert.deepStrictEqual(podMonitors.map((c) => at(c.props, "metadata.name")), managedPrometheusScrapes().map((m) => m.metadata.name));
            const association = one(resources, "azure-native:monitor:DataCollectionRuleAssociation");
            for (const m of podMonitors) assert.ok(m.dependencies.includes(association.urn), "the add-on's CRDs come with the association");
            assert.strictEqual(byType("kubernetes:monitoring.coreos.com/v1:PrometheusRule").length, 0);
        });

        it("creates none of it in dev (monitoring mode none), with the add-on explicitly off", async () => {
            const dev = (await stackRun("dev")).resources;
            assert.strictEqual(dev.filter((r) => r.type.startsWith("azure-native:monitor:") || r.type.startsWith("azure-native:alertsmanagement:")).length, 0);
            assert.strictEqual(at(one(dev, "azure-native:containerservice:ManagedCluster").props, "azureMonitorProfile.metrics.enabled"), false);
        });

        it("refuses bad settings before creating anything", () => {
            assert.throws(() => new ManagedPrometheus("bad", { ...SETTINGS, alertEmail: "nobody", resourceGroupName: "rg", clusterId: "c", clusterName: "c" }), /alertEmail/);
        });
    });

    describe("alert path summary", () => {
        it("azure: the rules, where they run, what scrapes, who is mailed; a webhook by host only", () => {
            const text = alertPathSummary({
                mode: "azure", namePrefix: "platform-prod", clusterName: "platform-prod-aks",
                alertEmail: "platform-team@example.com", alertWebhookUrl: "https://hooks.example.com/secret-path",
            });
            for (const rule of allAlertRules()) assert.ok(text.includes(rule.name), rule.name);
            assert.match(text, /workspace platform-prod-amw, only samples of cluster platform-prod-aks/);
            assert.match(text, /PodMonitors cert-manager\/cert-manager-controller, nginx-ingress\/nginx-ingress-controller/);
            assert.match(text, /action group platform-prod-alerts: e-mail platform-team@example\.com, webhook https:\/\/hooks\.example\.com\/…/);
            assert.doesNotMatch(text, /secret-path/);
        });

        it("prometheus-operator: the PrometheusRules and the selector they need", () => {
            const text = alertPathSummary({ mode: "prometheus-operator", namePrefix: "p", clusterName: "c", prometheusSelectorLabels: { release: "kps" } });
            assert.match(text, /PrometheusRules cert-manager\/certificates-alerts, nginx-ingress\/ingress-alerts labelled release=kps/);
            assert.match(text, /ruleSelector matches release=kps/);
        });

        it("each mode opens with its name, one statement per line, every rule group and the rule count", () => {
            const groups = ALERT_GROUPS.length;
            const count = `${allAlertRules().length} alert rules in ${groups} groups`;
            const azure = alertPathSummary({ mode: "azure", namePrefix: "platform-prod", clusterName: "c", alertEmail: "a@example.com" }).split("\n");
            assert.match(azure[0], /^Monitoring mode: azure\b/);
            assert.strictEqual(azure.length, 5 + groups);
            assert.ok(azure[1].includes(count), azure[1]);
            assert.ok(azure[1].endsWith(ALERT_GROUPS.map((g) => managedPrometheusNames("platform-prod").ruleGroup(g)).join(", ")), azure[1]);
            assert.match(azure[azure.length - 1], /: e-mail a@example\.com$/, "no webhook when none is configured");
            for (const g of ALERT_GROUPS) assert.ok(azure.some((l) => l.trim() === `${g.name}: ${g.rules.map((r) => r.name).join(", ")}`), g.name);

            const operator = alertPathSummary({ mode: "prometheus-operator", namePrefix: "p", clusterName: "c", prometheusSelectorLabels: { release: "kps", team: "platform" } }).split("\n");
            assert.match(operator[0], /^Monitoring mode: prometheus-operator$/);
            assert.strictEqual(operator.length, 5 + groups);
            assert.ok(operator[1].includes(count) && operator[1].endsWith("labelled release=kps,team=platform"), operator[1]);
            assert.ok(operator.some((l) => l.startsWith("Scraped by:")) && operator.some((l) => l.startsWith("Notifies:")));

            const none = alertPathSummary({ mode: "none", namePrefix: "p", clusterName: "c" }).split("\n");
            assert.deepStrictEqual([none.length, none[0]], [2, "Monitoring mode: none"]);
        });

        it("none: says that nothing is evaluated", () => {
            assert.match(alertPathSummary({ mode: "none", namePrefix: "p", clusterName: "c" }), /No alert rule is evaluated/);
        });
    });
});
