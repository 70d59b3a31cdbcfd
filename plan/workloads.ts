/**
 * The pods the platform runs that no resource in the stack spells out: Helm charts' pods (from
 * the facts module: the charts' labels and container ports), and the system pods flows involve.
 * The reachability matrix evaluates the stack's policies against these plus the stack's own
 * workloads; the pods carry no flow knowledge. The plan writes them to out/<stack>/endpoints.yaml,
 * so `netpol` can reproduce any cell of the matrix.
 */
import { PlatformConfig } from "../components/config";
import { azureMonitor, certManager, istioCsr, kubeSystem, nginxIngress, PortFact } from "../components/facts";

export interface PodFact {
    namespace: string;
    name: string;
    labels: Readonly<Record<string, string>>;
    ports: readonly PortFact[];
}

/** Chart-managed and system pods, one per workload, named `namespace/<name>` in the matrix. */
export function platformPods(config: PlatformConfig): PodFact[] {
    const instance = { "app.kubernetes.io/instance": certManager.releaseName };
    return [
        { namespace: certManager.namespace, name: "cert-manager-controller", labels: { ...certManager.podLabels.controller, ...instance, ...certManager.workloadIdentityUseLabel }, ports: [certManager.ports.metrics, certManager.ports.controllerHealthz] },
        { namespace: certManager.namespace, name: "cert-manager-webhook", labels: { ...certManager.podLabels.webhook, ...instance }, ports: [certManager.ports.webhookServing, certManager.ports.webhookHealthz, certManager.ports.metrics] },
        { namespace: certManager.namespace, name: "cert-manager-cainjector", labels: { ...certManager.podLabels.cainjector, ...instance }, ports: [certManager.ports.metrics] },
        { namespace: certManager.namespace, name: "cert-manager-startupapicheck", labels: { ...certManager.podLabels.startupApiCheck, ...instance }, ports: [] },
        { namespace: nginxIngress.namespace, name: "nginx-ingress-controller", labels: nginxIngress.podLabels(nginxIngress.releaseName), ports: Object.values(nginxIngress.ports) },
        ...(config.istioCsr.enabled ? [{ namespace: istioCsr.namespace, name: "cert-manager-istio-csr", labels: istioCsr.podLabels, ports: [istioCsr.ports.grpc, istioCsr.ports.metrics] }] : []),
        ...(config.istioCsr.enabled ? config.istioCsr.meshNamespaces.map((ns) => ({ namespace: ns, name: "istiod", labels: { app: "istiod" }, ports: [] })) : []),
        { namespace: kubeSystem.namespace, name: "coredns", labels: kubeSystem.dnsPodLabels, ports: kubeSystem.dnsPorts },
        ...(config.monitoring.mode === "azure" ? [{ namespace: azureMonitor.namespace, name: "ama-metrics", labels: azureMonitor.collectorPodLabels, ports: [] }] : []),
        { namespace: config.monitoring.namespace, name: "prometheus", labels: config.monitoring.podLabels, ports: [{ name: "web", port: 9090, protocol: "TCP" }] },
    ];
}

/**
 * Pod objects for the facts above, as `kubectl get -o yaml` would show them. No Namespace objects:
 * the stack's manifests hold the namespaces it creates, and of the others (kube-system, the
 * monitoring namespace) only the name label is known, which is all the platform's policies select.
 */
export function podObjects(pods: readonly PodFact[]): Record<string, unknown>[] {
    return pods.map((p) => ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: p.name, namespace: p.namespace, labels: { ...p.labels } },
        spec: { containers: [{ name: p.name, ports: p.ports.map((x) => ({ name: x.name, containerPort: x.port, protocol: x.protocol })) }] },
    }));
}
