/** The cluster's monitoring objects (see monitoring-specs.ts for what each mode creates and why). */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { MonitoringMode } from "../config";
import { childOptions } from "../component";
import { managedPrometheusScrapes, prometheusRules } from "./monitoring-specs";

export interface ClusterMonitoringArgs {
    /** `azure` or `prometheus-operator` (`none` creates no component). Required. */
    mode: Exclude<MonitoringMode, "none">;
    /** prometheus-operator mode: labels the team's Prometheus selects rules by. Required in that mode. */
    prometheusSelectorLabels?: Readonly<Record<string, string>>;
}

/**
 * The cluster's monitoring objects for the chosen mode. Pass in `dependsOn` what they need first:
 * the cert-manager and NGINX releases and, in azure mode, the metrics add-on's association (its CRDs).
 */
export class ClusterMonitoring extends pulumi.ComponentResource {
    constructor(name: string, args: ClusterMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:kubernetes:ClusterMonitoring", name, {}, opts);
        if (args.mode === "prometheus-operator") {
            if (!args.prometheusSelectorLabels) throw new Error("ClusterMonitoring: prometheus-operator mode needs prometheusSelectorLabels");
            for (const rule of prometheusRules(args.prometheusSelectorLabels)) {
                new k8s.apiextensions.CustomResource(`${name}-${rule.metadata.name}`, { ...rule }, childOptions(this, opts));
            }
        } else {
            for (const monitor of managedPrometheusScrapes()) {
                new k8s.apiextensions.CustomResource(`${name}-${monitor.metadata.name}-podmonitor`, { ...monitor }, childOptions(this, opts));
            }
        }
        this.registerOutputs({});
    }
}
