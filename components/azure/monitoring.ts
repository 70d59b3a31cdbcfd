/**
 * Azure Monitor managed service for Prometheus (monitoring mode `azure`): the Azure side of the
 * alert path. The cluster's metrics add-on scrapes cert-manager and NGINX (PodMonitors from
 * components/kubernetes/monitoring.ts), sends samples through a data collection endpoint and rule
 * to an Azure Monitor workspace, where Prometheus rule groups evaluate the platform's alerts and an
 * action group e-mails a person (and, optionally, calls a webhook).
 *
 * Resource shapes follow Azure's own onboarding templates in Azure/prometheus-collector (commit
 * 39583fd): AddonBicepTemplate/FullAzureMonitorMetricsProfile.bicep (DCE and DCR of kind Linux in
 * the workspace's region, the DCR's prometheusForwarder source and monitoringAccounts destination,
 * rule groups scoped to the workspace and the cluster with `clusterName`),
 * nested_azuremonitormetrics_dcra_clusterResourceId.bicep (the association on the cluster) and
 * AddonTerraformTemplate/main.tf (cluster created with metrics enabled, association after it).
 * Rule group properties: learn.microsoft.com/azure/azure-monitor/metrics/prometheus-rule-groups.
 * Property names: @pulumi/azure-native 3.28.0 typings (monitor, alertsmanagement, containerservice).
 */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import * as alertsmanagement from "@pulumi/azure-native/alertsmanagement";
import type * as azureInputs from "@pulumi/azure-native/types/input";
import { azureMonitor } from "../facts";
import { ALERT_GROUPS, AlertGroup, allAlertRules, azureSeverity, isoDuration, runbookUrl } from "../kubernetes/alert-rules";
import type { MonitoringMode } from "../config";
import { childOptions } from "../component";
import { managedPrometheusScrapes, prometheusRules } from "../kubernetes/monitoring-specs";

/** Minutes an alert stays open after its condition clears, before Azure resolves it. */
export const AUTO_RESOLVE_MINUTES = 10;

/**
 * `azureMonitorProfile` for the cluster (containerservice.ManagedClusterArgs): the managed
 * Prometheus add-on on in `azure` mode and explicitly off otherwise, so switching modes turns it off.
 */
export function managedPrometheusProfile(mode: MonitoringMode): azureInputs.containerservice.ManagedClusterAzureMonitorProfileArgs {
    return { metrics: { enabled: mode === "azure" } };
}

export interface ManagedPrometheusSettings {
    /** Region of the workspace, endpoint, rule and rule groups (the cluster's). Required. */
    location: string;
    /** Stem of every Azure name: `<namePrefix>-<environment>`. Required. */
    namePrefix: string;
    /** Who gets mailed (config `alertEmail`, default the ACME e-mail). Required. */
    alertEmail: string;
    /** Optional https webhook that also receives every alert (config `alertWebhookUrl`). */
    alertWebhookUrl?: string;
    /** Action group short name, at most 12 characters: the sender name in mails and SMS. Required. */
    actionGroupShortName: string;
}

export interface ManagedPrometheusArgs extends ManagedPrometheusSettings {
    resourceGroupName: pulumi.Input<string>;
    /** The AKS cluster's resource id (the association's target and a rule group scope). Required. */
    clusterId: pulumi.Input<string>;
    /** The AKS cluster's name: the `cluster` label the add-on puts on every sample. Required. */
    clusterName: pulumi.Input<string>;
}

/** Azure names of the resources, derived from the name prefix only. */
export function managedPrometheusNames(namePrefix: string) {
    return {
        workspace: `${namePrefix}-amw`,
        dataCollectionEndpoint: `${namePrefix}-prom-dce`,
        dataCollectionRule: `${namePrefix}-prom-dcr`,
        association: `${namePrefix}-prom-dcra`,
        actionGroup: `${namePrefix}-alerts`,
        ruleGroup: (group: AlertGroup): string => `${namePrefix}-${group.name}`,
    };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Throws one error listing every bad setting, its value and the fix. */
export function checkManagedPrometheusSettings(s: ManagedPrometheusSettings): void {
    const problems: string[] = [];
    if (!EMAIL.test(s.alertEmail)) problems.push(`alertEmail ${JSON.stringify(s.alertEmail)} is not an e-mail address; set the address that should receive alerts`);
    if (s.alertWebhookUrl !== undefined) {
        let url: URL | undefined;
        try { url = new URL(s.alertWebhookUrl); } catch { url = undefined; }
        if (!url || url.protocol !== "https:") problems.push(`alertWebhookUrl ${JSON.stringify(redactUrl(s.alertWebhookUrl))} must be an https:// URL (alerts carry cluster details); fix the URL or unset it`);
    }
    if (s.actionGroupShortName.length === 0 || s.actionGroupShortName.length > azureMonitor.actionGroupShortNameMax) {
        problems.push(`action group short name ${JSON.stringify(s.actionGroupShortName)} must be 1 to ${azureMonitor.actionGroupShortNameMax} characters (Azure's limit)`);
    }
    const names = managedPrometheusNames(s.namePrefix);
    if (names.dataCollectionEndpoint.length > azureMonitor.dataCollectionEndpointNameMax) {
        problems.push(`namePrefix ${JSON.stringify(s.namePrefix)} makes the data collection endpoint name ${names.dataCollectionEndpoint} longer than ${azureMonitor.dataCollectionEndpointNameMax} characters; shorten namePrefix`);
    }
    if (problems.length > 0) throw new Error(`managed Prometheus settings:\n- ${problems.join("\n- ")}`);
}

/** A URL without its path, query and credentials: webhook URLs often carry a token. */
export function redactUrl(url: string): string {
    try {
        const u = new URL(url);
        return `${u.protocol}//${u.host}/…`;
    } catch {
        return "(not a URL)";
    }
}

export function workspaceSpec(s: ManagedPrometheusSettings): Omit<monitor.AzureMonitorWorkspaceArgs, "resourceGroupName"> {
    return { azureMonitorWorkspaceName: managedPrometheusNames(s.namePrefix).workspace, location: s.location };
}

export function dataCollectionEndpointSpec(s: ManagedPrometheusSettings): Omit<monitor.DataCollectionEndpointArgs, "resourceGroupName"> {
    return {
        dataCollectionEndpointName: managedPrometheusNames(s.namePrefix).dataCollectionEndpoint,
        location: s.location,
        kind: azureMonitor.dataCollectionKind,
    };
}

/** Destination name inside the rule; any name works as long as the data flow uses the same one. */
const WORKSPACE_DESTINATION = "MonitoringAccount1";

export function dataCollectionRuleSpec(s: ManagedPrometheusSettings, ids: { workspaceId: pulumi.Input<string>; endpointId: pulumi.Input<string> }):
    Omit<monitor.DataCollectionRuleArgs, "resourceGroupName"> {
    return {
        dataCollectionRuleName: managedPrometheusNames(s.namePrefix).dataCollectionRule,
        location: s.location,
        kind: azureMonitor.dataCollectionKind,
        description: "Managed Prometheus: the cluster's metrics add-on to the platform's Azure Monitor workspace",
        dataCollectionEndpointId: ids.endpointId,
        dataSources: { prometheusForwarder: [{ name: "PrometheusDataSource", streams: [azureMonitor.prometheusStream], labelIncludeFilter: {} }] },
        destinations: { monitoringAccounts: [{ name: WORKSPACE_DESTINATION, accountResourceId: ids.workspaceId }] },
        dataFlows: [{ streams: [azureMonitor.prometheusStream], destinations: [WORKSPACE_DESTINATION] }],
    };
}

export function dataCollectionRuleAssociationSpec(s: ManagedPrometheusSettings, ids: { clusterId: pulumi.Input<string>; ruleId: pulumi.Input<string> }):
    monitor.DataCollectionRuleAssociationArgs {
    return {
        associationName: managedPrometheusNames(s.namePrefix).association,
        resourceUri: ids.clusterId,
        dataCollectionRuleId: ids.ruleId,
        description: "Sends this cluster's managed Prometheus metrics to the platform workspace; deleting it stops data collection.",
    };
}

export function actionGroupSpec(s: ManagedPrometheusSettings): Omit<monitor.ActionGroupArgs, "resourceGroupName"> {
    return {
        actionGroupName: managedPrometheusNames(s.namePrefix).actionGroup,
        location: azureMonitor.actionGroupLocation,
        groupShortName: s.actionGroupShortName,
        enabled: true,
        emailReceivers: [{ name: "platform-alert-email", emailAddress: s.alertEmail, useCommonAlertSchema: true }],
        ...(s.alertWebhookUrl !== undefined
            ? { webhookReceivers: [{ name: "platform-alert-webhook", serviceUri: s.alertWebhookUrl, useCommonAlertSchema: true }] }
            : {}),
    };
}

/** One Azure rule group per alert group: the same rules as the PrometheusRules, scoped to this cluster. */
export function ruleGroupSpecs(s: ManagedPrometheusSettings, ids: { workspaceId: pulumi.Input<string>; clusterId: pulumi.Input<string>; clusterName: pulumi.Input<string>; actionGroupId: pulumi.Input<string> }):
    Omit<alertsmanagement.PrometheusRuleGroupArgs, "resourceGroupName">[] {
    const names = managedPrometheusNames(s.namePrefix);
    return ALERT_GROUPS.map((group) => ({
        ruleGroupName: names.ruleGroup(group),
        location: s.location,
        description: `aks-platform ${group.name} alerts`,
        // The workspace, plus the cluster so the rules only see this cluster's samples.
        scopes: [ids.workspaceId, ids.clusterId],
        clusterName: ids.clusterName,
        enabled: true,
        interval: azureMonitor.ruleGroupInterval,
        rules: group.rules.map((rule) => ({
            alert: rule.name,
            expression: rule.expr,
            for: isoDuration(rule.forMinutes),
            severity: azureSeverity(rule.severity),
            enabled: true,
            labels: { severity: rule.severity },
            annotations: { summary: rule.summary, description: rule.description, runbook_url: runbookUrl(rule) },
            resolveConfiguration: { autoResolved: true, timeToResolve: isoDuration(AUTO_RESOLVE_MINUTES) },
            actions: [{ actionGroupId: ids.actionGroupId }],
        })),
    }));
}

/** The Azure side of monitoring mode `azure`. */
export class ManagedPrometheus extends pulumi.ComponentResource {
    readonly workspaceId: pulumi.Output<string>;
    readonly actionGroupId: pulumi.Output<string>;
    /** The association: the add-on sends nothing before it exists. */
    readonly association: monitor.DataCollectionRuleAssociation;

    constructor(name: string, args: ManagedPrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super(): bad settings register nothing.
        checkManagedPrometheusSettings(args);
        super("platform:azure:ManagedPrometheus", name, {}, opts);
        const rg = { resourceGroupName: args.resourceGroupName };
        const child = childOptions(this, opts);

        const workspace = new monitor.AzureMonitorWorkspace(`${name}-workspace`, { ...rg, ...workspaceSpec(args) }, child);
        const endpoint = new monitor.DataCollectionEndpoint(`${name}-endpoint`, { ...rg, ...dataCollectionEndpointSpec(args) }, child);
        const rule = new monitor.DataCollectionRule(`${name}-rule`, {
            ...rg, ...dataCollectionRuleSpec(args, { workspaceId: workspace.id, endpointId: endpoint.id }),
        }, child);
        this.association = new monitor.DataCollectionRuleAssociation(`${name}-association`,
            dataCollectionRuleAssociationSpec(args, { clusterId: args.clusterId, ruleId: rule.id }), child);

        const actionSpec = actionGroupSpec(args);
        const actionGroup = new monitor.ActionGroup(`${name}-action-group`, {
            ...rg,
            ...actionSpec,
            // A webhook URL usually embeds its credential: keep it encrypted in the state.
            webhookReceivers: actionSpec.webhookReceivers === undefined ? undefined : pulumi.secret(actionSpec.webhookReceivers),
        }, child);

        for (const spec of ruleGroupSpecs(args, { workspaceId: workspace.id, clusterId: args.clusterId, clusterName: args.clusterName, actionGroupId: actionGroup.id })) {
            new alertsmanagement.PrometheusRuleGroup(`${name}-${String(spec.ruleGroupName)}`, { ...rg, ...spec }, child);
        }

        this.workspaceId = workspace.id;
        this.actionGroupId = actionGroup.id;
        this.registerOutputs({ workspaceId: this.workspaceId, actionGroupId: this.actionGroupId });
    }
}

export interface AlertPathSettings {
    mode: MonitoringMode;
    /** `<namePrefix>-<environment>`. */
    namePrefix: string;
    /** The AKS cluster's name. */
    clusterName: string;
    /** azure mode: who gets mailed, and the optional webhook. */
    alertEmail?: string;
    alertWebhookUrl?: string;
    /** prometheus-operator mode: labels the team's Prometheus selects rules by. */
    prometheusSelectorLabels?: Readonly<Record<string, string>>;
}

/**
 * The alert path in words, for the offline plan: which rules exist, where they are evaluated,
 * what scrapes the metrics and who is told. A webhook shows only its host.
 */
export function alertPathSummary(s: AlertPathSettings): string {
    const rules = ALERT_GROUPS.map((g) => `  ${g.name}: ${g.rules.map((r) => r.name).join(", ")}`);
    const count = `${allAlertRules().length} alert rules in ${ALERT_GROUPS.length} groups`;
    switch (s.mode) {
        case "none":
            return [
                "Monitoring mode: none",
                "No alert rule is evaluated: nobody is told when a certificate is about to expire or the ingress controller is down.",
            ].join("\n");
        case "prometheus-operator": {
            const labels = s.prometheusSelectorLabels ?? {};
            const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
            return [
                "Monitoring mode: prometheus-operator",
                `Rules: ${count}, as PrometheusRules ${prometheusRules(labels).map((r) => `${r.metadata.namespace}/${r.metadata.name}`).join(", ")} labelled ${selector}`,
                ...rules,
                `Evaluated by: your Prometheus (kube-prometheus-stack or another prometheus-operator install), if its ruleSelector matches ${selector}`,
                "Scraped by: the same Prometheus, through the ServiceMonitors of the cert-manager and NGINX charts (same labels)",
                "Notifies: your Alertmanager's routes; the platform configures none",
            ].join("\n");
        }
        case "azure": {
            const names = managedPrometheusNames(s.namePrefix);
            const recipients = [`e-mail ${s.alertEmail ?? "(unset)"}`, ...(s.alertWebhookUrl ? [`webhook ${redactUrl(s.alertWebhookUrl)}`] : [])];
            return [
                "Monitoring mode: azure (Azure Monitor managed service for Prometheus)",
                `Rules: ${count}, as Prometheus rule groups ${ALERT_GROUPS.map((g) => names.ruleGroup(g)).join(", ")}`,
                ...rules,
                `Evaluated by: Azure Monitor, every minute, on workspace ${names.workspace}, only samples of cluster ${s.clusterName}`,
                `Scraped by: the AKS metrics add-on (ama-metrics in ${azureMonitor.namespace}) through PodMonitors ${managedPrometheusScrapes().map((m) => `${m.metadata.namespace}/${m.metadata.name}`).join(", ")}`,
                `Notifies: action group ${names.actionGroup}: ${recipients.join(", ")}`,
            ].join("\n");
        }
    }
}
