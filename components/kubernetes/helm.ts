import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

export type HelmValues = Record<string, unknown>;

export interface PinnedChart {
    /** Chart name, or an `oci://` reference. */
    chart: string;
    /** Exact chart version. */
    version: string;
    /** Classic chart repository; none for OCI charts. */
    repository?: string;
    releaseName: string;
    namespace: string;
}

/**
 * A Helm release the platform way: an exact chart version, into a namespace the platform made
 * (with its Pod Security labels), rolled back and cleaned up when an install or upgrade fails.
 */
export function pinnedRelease(
    name: string,
    chart: PinnedChart,
    values: pulumi.Input<HelmValues>,
    opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(name, {
        name: chart.releaseName,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: chart.repository ? { repo: chart.repository } : undefined,
        namespace: chart.namespace,
        createNamespace: false,
        atomic: true,
        cleanupOnFail: true,
        timeout: 600,
        values,
    }, opts);
}
