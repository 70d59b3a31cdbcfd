/** The offline plan's alert path: which rules exist, where they are evaluated, who is told (alerts.md). */
import { alertPathSummary } from "../components/azure/monitoring";
import { clusterSettings } from "../components/azure/aks-cluster";
import { stackPlatformConfig } from "./stack-config";
import { PlanContext, PlanPhase, writeFile } from "./phases";

export const alertsPhase: PlanPhase = {
    name: "alerts",
    run(ctx: PlanContext) {
        const config = stackPlatformConfig(ctx.stack, ctx.stacksDir);
        const text = alertPathSummary({
            mode: config.monitoring.mode,
            namePrefix: `${config.namePrefix}-${config.environment}`,
            clusterName: clusterSettings(config).name,
            alertEmail: config.monitoring.alertEmail,
            alertWebhookUrl: config.monitoring.alertWebhookUrl,
            prometheusSelectorLabels: config.monitoring.selectorLabels,
        });
        ctx.summary.monitoringMode = config.monitoring.mode;
        ctx.summary.alertPath = text;
        writeFile(ctx, "alerts.md", `# Alert path: ${ctx.stack}\n\n\`\`\`text\n${text}\n\`\`\`\n`);
    },
    describe: (ctx) => `monitoring mode ${String(ctx.summary.monitoringMode)} -> alerts.md`,
    report: (ctx) => String(ctx.summary.alertPath),
};
